// A small CL Omega client for the browser: signaling over WebSocket and a full WebRTC mesh of data channels.
// The host offers to each NEW_PEER, a newcomer offers to each DISCOVER, whoever gets MAKE_OFFER answers; SDP
// and ICE candidates travel as MAKE_OFFER / MAKE_ANSWER / ICE with the payload {type: 0, contents} (type 0 =
// data). Every pair shares a negotiated data channel "default" (id 0, ordered, protocol "clomega").
'use strict';

const RELAYED = ['MAKE_OFFER', 'MAKE_ANSWER', 'ICE'];

class Signaling {
  static open(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new Signaling(ws));
      ws.onerror = () => reject(new Error('the signaling socket to ' + url + ' did not open'));
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.waiters = new Map();   // listener -> {resolve}
    this.listeners = 0;
    this.onevent = () => {};
    this.onclose = () => {};
    ws.onmessage = (ev) => this.dispatch(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      for (const w of this.waiters.values()) w.reject(new Error('signaling closed (' + ev.code + ')'));
      this.waiters.clear();
      this.onclose(ev);
    };
  }

  dispatch(packet) {
    if (packet.listener && this.waiters.has(packet.listener)) {
      const w = this.waiters.get(packet.listener);
      this.waiters.delete(packet.listener);
      w.resolve(packet);
      return;
    }
    this.onevent(packet);
  }

  send(packet) {
    this.ws.send(JSON.stringify(packet));
  }

  // Sends a request with a fresh listener; resolves with its direct reply.
  request(opcode, payload, recipient) {
    const listener = opcode.toLowerCase() + '-' + (++this.listeners);
    const packet = { opcode, listener };
    if (payload !== undefined) packet.payload = payload;
    if (recipient) packet.recipient = recipient;
    return new Promise((resolve, reject) => {
      this.waiters.set(listener, { resolve, reject });
      this.send(packet);
    });
  }

  async expect(opcode, payload, wanted, recipient) {
    const reply = await this.request(opcode, payload, recipient);
    if (reply.opcode !== wanted) {
      throw new Error(opcode + ' answered ' + reply.opcode + (reply.payload ? ' ' + JSON.stringify(reply.payload) : ''));
    }
    return reply;
  }

  close() {
    this.ws.close();
  }
}

// The WebRTC connection and data channel to one remote member.
class Link {
  constructor(sig, remote, events) {
    this.sig = sig;
    this.remote = remote;
    this.events = events;
    this.pending = [];
    this.queue = Promise.resolve();
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    this.channel = pc.createDataChannel('default', { negotiated: true, id: 0, ordered: true, protocol: 'clomega' });
    this.channel.onopen = () => events.onchange(this);
    this.channel.onclose = () => events.onchange(this);
    this.channel.onmessage = (ev) => events.onmessage(this, ev.data);
    pc.onicecandidate = (ev) => { if (ev.candidate) this.relay('ICE', ev.candidate.toJSON()); };
    pc.onconnectionstatechange = () => events.onchange(this);
  }

  get state() {
    return this.channel.readyState === 'open' ? 'open' : this.pc.connectionState;
  }

  relay(opcode, contents) {
    this.sig.expect(opcode, { type: 0, contents }, 'RELAY_OK', this.remote.id)
      .catch((e) => this.events.onerror(this, e));
  }

  async offer() {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.relay('MAKE_OFFER', this.pc.localDescription.toJSON());
  }

  // Relayed packets of this remote are handled one after another.
  handle(packet) {
    this.queue = this.queue.then(() => this.apply(packet)).catch((e) => this.events.onerror(this, e));
  }

  async apply(packet) {
    const contents = (packet.payload || {}).contents;
    if (packet.opcode === 'MAKE_OFFER') {
      await this.pc.setRemoteDescription(contents);
      await this.flush();
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      this.relay('MAKE_ANSWER', this.pc.localDescription.toJSON());
    } else if (packet.opcode === 'MAKE_ANSWER') {
      await this.pc.setRemoteDescription(contents);
      await this.flush();
    } else if (packet.opcode === 'ICE') {
      if (this.pc.remoteDescription) await this.pc.addIceCandidate(contents);
      else this.pending.push(contents);
    }
  }

  async flush() {
    const queued = this.pending;
    this.pending = [];
    for (const c of queued) await this.pc.addIceCandidate(c);
  }

  send(text) {
    if (this.channel.readyState === 'open') this.channel.send(text);
  }

  close() {
    this.pc.close();
  }
}

// One signaling session of a game (UGI) and the mesh of its lobby.
class OmegaMesh {
  constructor(handlers) {
    this.handlers = Object.assign({ onlog() {}, onpeers() {}, onmessage() {}, onlobbies() {}, onclose() {} }, handlers);
    this.links = new Map();
    this.me = null;
    this.lobby = null;
    this.role = null;
  }

  async connect(wsUrl, token) {
    this.sig = await Signaling.open(wsUrl);
    this.sig.onevent = (p) => this.event(p);
    this.sig.onclose = (ev) => this.handlers.onclose(ev);
    this.me = (await this.sig.expect('INIT', token, 'INIT_OK')).payload;
    this.handlers.onlog('signed in to the signaling server as ' + this.me.user);
    return this.me;
  }

  async lobbies() {
    const reply = await this.sig.expect('LOBBY_LIST', undefined, 'LOBBY_LIST');
    return reply.payload || [];
  }

  async host(lobby) {
    await this.sig.expect('CONFIG_HOST', {
      lobby_id: lobby, allow_host_reclaim: false, allow_peers_to_claim_host: false, max_peers: 0, password: '',
    }, 'ACK_HOST');
    this.lobby = lobby;
    this.role = 'host';
    this.handlers.onlog('hosting lobby ' + lobby);
    this.handlers.onpeers(this);
  }

  async join(lobby) {
    await this.sig.expect('CONFIG_PEER', { lobby_id: lobby, password: '' }, 'ACK_PEER');
    this.lobby = lobby;
    this.role = 'peer';
    this.handlers.onlog('joined lobby ' + lobby);
    this.handlers.onpeers(this);
  }

  link(remote) {
    let l = this.links.get(remote.id);
    if (!l) {
      l = new Link(this.sig, remote, {
        onchange: () => this.handlers.onpeers(this),
        onmessage: (link, text) => this.handlers.onmessage(link.remote, text),
        onerror: (link, e) => this.handlers.onlog('link to ' + link.remote.user + ': ' + e.message),
      });
      this.links.set(remote.id, l);
      this.handlers.onpeers(this);
    }
    return l;
  }

  drop(id) {
    const l = this.links.get(id);
    if (l) {
      l.close();
      this.links.delete(id);
      this.handlers.onpeers(this);
    }
  }

  event(p) {
    if (RELAYED.includes(p.opcode) && p.origin) {
      this.link(p.origin).handle(p);
      return;
    }
    switch (p.opcode) {
      case 'NEW_PEER':
        this.handlers.onlog(p.payload.user + ' joined: offering a connection');
        this.link(p.payload).offer();
        break;
      case 'DISCOVER':
        this.handlers.onlog('found ' + p.payload.user + ' in the lobby: offering a connection');
        this.link(p.payload).offer();
        break;
      case 'ANTICIPATE':
        this.handlers.onlog('expecting an offer from ' + p.payload.user);
        this.link(p.payload);
        break;
      case 'PEER_GONE':
      case 'HOST_GONE':
        this.drop(p.payload);
        break;
      case 'LOBBY_CLOSE':
        this.handlers.onlog('lobby ' + p.payload + ' closed');
        for (const id of [...this.links.keys()]) this.drop(id);
        this.lobby = null;
        this.role = null;
        this.handlers.onpeers(this);
        break;
      case 'NEW_HOST':
        this.handlers.onlobbies();
        break;
      default:
        this.handlers.onlog('server: ' + p.opcode + (p.payload !== undefined ? ' ' + JSON.stringify(p.payload) : ''));
    }
  }

  // Sends a chat line to every open data channel; returns how many got it.
  say(text) {
    let n = 0;
    for (const l of this.links.values()) {
      if (l.channel.readyState === 'open') {
        l.send(text);
        n++;
      }
    }
    return n;
  }
}

window.OmegaMesh = OmegaMesh;
