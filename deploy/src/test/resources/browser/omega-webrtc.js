'use strict';
// A CL Omega client for the browser test: signaling over WebSocket, one RTCPeerConnection with a negotiated
// data channel to the remote member, SDP and ICE candidates carried by MAKE_OFFER / MAKE_ANSWER / ICE with
// the payload {type: 0, contents: <RTCSessionDescription or RTCIceCandidate JSON>} (type 0 = data).
//
// host(wsUrl, token, lobby, reply)  -> {me, peer, received}: hosts `lobby`, offers to the first peer that
//                                       joins, resolves with the first text it receives and answers `reply`.
// peer(wsUrl, token, lobby, message) -> {me, host, received}: joins `lobby`, answers the host's offer, sends
//                                       `message` once the channel is open and resolves with the reply.
// omegaTrace()                       -> what this page sent, received and observed, for failure reports.

const trace = [];

function note(line) {
  trace.push(new Date().toISOString().slice(11, 23) + ' ' + line);
}

function omegaTrace() {
  return trace.join('\n');
}

// Tells the test driver about progress when it installed its binding.
function report(stage) {
  note('report ' + stage);
  if (typeof window.skirmishReport === 'function') {
    window.skirmishReport(stage);
  }
}

const RELAYED = ['MAKE_OFFER', 'MAKE_ANSWER', 'ICE'];

class Signaling {
  static open(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new Signaling(ws));
      ws.onerror = () => reject(new Error('signaling socket to ' + url + ' failed to open'));
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.unclaimed = [];      // packets nobody waited for yet
    this.waiters = [];        // {test, resolve, reject, what}
    this.relayHandlers = new Map();
    this.listeners = 0;
    this.closedError = null;
    ws.onerror = () => note('signaling socket error');
    ws.onmessage = event => this.dispatch(JSON.parse(event.data));
    ws.onclose = event => {
      this.closedError = new Error('signaling socket closed (' + event.code + ' ' + event.reason + ')');
      note(this.closedError.message);
      this.failAll(this.closedError);
    };
  }

  failAll(error) {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      w.reject(new Error(error.message + ' while waiting for ' + w.what));
    }
  }

  send(packet) {
    note('-> ' + JSON.stringify(packet).slice(0, 300));
    this.ws.send(JSON.stringify(packet));
  }

  dispatch(packet) {
    note('<- ' + JSON.stringify(packet).slice(0, 300));
    if (packet.opcode === 'VIOLATION') {
      this.failAll(new Error('server sent VIOLATION ' + JSON.stringify(packet.payload)));
      return;
    }
    if (RELAYED.includes(packet.opcode) && packet.origin) {
      const handler = this.relayHandlers.get(packet.origin.id);
      if (handler) {
        handler(packet);
        return;
      }
    }
    const i = this.waiters.findIndex(w => w.test(packet));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      w.resolve(packet);
      return;
    }
    this.unclaimed.push(packet);
  }

  // The next packet matching `test` (an earlier unclaimed one first).
  next(test, what) {
    const i = this.unclaimed.findIndex(test);
    if (i >= 0) {
      return Promise.resolve(this.unclaimed.splice(i, 1)[0]);
    }
    if (this.closedError) {
      return Promise.reject(new Error(this.closedError.message + ' while waiting for ' + what));
    }
    return new Promise((resolve, reject) => this.waiters.push({test, resolve, reject, what}));
  }

  event(opcode) {
    return this.next(p => p.opcode === opcode, opcode);
  }

  // Sends a request with a fresh listener and resolves with the direct reply if it is `expected`.
  async request(opcode, payload, expected, recipient) {
    const listener = opcode.toLowerCase() + '-' + (++this.listeners);
    const packet = {opcode, payload, listener};
    if (recipient) {
      packet.recipient = recipient;
    }
    const reply = this.next(p => p.listener === listener, 'the reply to ' + opcode);
    this.send(packet);
    const answer = await reply;
    if (answer.opcode !== expected) {
      throw new Error(opcode + ' answered ' + JSON.stringify(answer) + ' instead of ' + expected);
    }
    return answer;
  }

  // Routes MAKE_OFFER / MAKE_ANSWER / ICE from `remoteId` to `handler`, including those that came early.
  onRelay(remoteId, handler) {
    this.relayHandlers.set(remoteId, handler);
    const early = this.unclaimed.filter(p => RELAYED.includes(p.opcode) && p.origin && p.origin.id === remoteId);
    this.unclaimed = this.unclaimed.filter(p => !early.includes(p));
    early.forEach(handler);
  }
}

// The WebRTC connection to one remote member.
class Link {
  constructor(sig, remoteId) {
    this.sig = sig;
    this.remoteId = remoteId;
    this.pendingCandidates = [];
    this.inbox = [];
    this.readers = [];
    this.queue = Promise.resolve();   // signaling packets are handled strictly one after another

    let fail;
    this.failed = new Promise((resolve, reject) => { fail = reject; });
    this.failed.catch(() => {});
    this.fail = error => { note('link failed: ' + error.message); fail(error); };

    const pc = new RTCPeerConnection({iceServers: []});
    this.pc = pc;
    this.channel = pc.createDataChannel('default', {negotiated: true, id: 0, ordered: true, protocol: 'clomega'});
    this.opened = Promise.race([
      new Promise(resolve => this.channel.addEventListener('open', () => { note('data channel open'); resolve(); })),
      this.failed]);
    this.channel.onmessage = event => {
      note('data channel received ' + JSON.stringify(event.data).slice(0, 200));
      const reader = this.readers.shift();
      if (reader) {
        reader(event.data);
      } else {
        this.inbox.push(event.data);
      }
    };
    this.channel.onclose = () => note('data channel closed');
    pc.onicecandidate = event => {
      if (event.candidate) {
        note('local candidate ' + event.candidate.candidate);
        this.relay('ICE', event.candidate.toJSON());
      } else {
        note('candidate gathering complete');
      }
    };
    pc.oniceconnectionstatechange = () => note('ice ' + pc.iceConnectionState);
    pc.onconnectionstatechange = () => {
      note('connection ' + pc.connectionState);
      if (pc.connectionState === 'failed') {
        this.fail(new Error('RTCPeerConnection to ' + this.remoteId + ' failed'));
      }
    };
    sig.onRelay(remoteId, packet => {
      this.queue = this.queue.then(() => this.handle(packet)).catch(error => this.fail(error));
    });
  }

  relay(opcode, contents) {
    this.sig.request(opcode, {type: 0, contents}, 'RELAY_OK', this.remoteId).catch(error => this.fail(error));
  }

  async offer() {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.relay('MAKE_OFFER', this.pc.localDescription.toJSON());
  }

  async handle(packet) {
    const payload = packet.payload || {};
    if (payload.type !== 0 || !payload.contents) {
      throw new Error('unexpected ' + packet.opcode + ' payload ' + JSON.stringify(payload));
    }
    switch (packet.opcode) {
      case 'MAKE_OFFER':
        await this.pc.setRemoteDescription(payload.contents);
        await this.flushCandidates();
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        this.relay('MAKE_ANSWER', this.pc.localDescription.toJSON());
        break;
      case 'MAKE_ANSWER':
        await this.pc.setRemoteDescription(payload.contents);
        await this.flushCandidates();
        break;
      case 'ICE':
        if (this.pc.remoteDescription) {
          await this.pc.addIceCandidate(payload.contents);
        } else {
          note('queued remote candidate until the remote description is set');
          this.pendingCandidates.push(payload.contents);
        }
        break;
      default:
        throw new Error('unexpected relay ' + packet.opcode);
    }
  }

  async flushCandidates() {
    const queued = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of queued) {
      await this.pc.addIceCandidate(candidate);
    }
  }

  send(text) {
    note('data channel send ' + JSON.stringify(text).slice(0, 200));
    this.channel.send(text);
  }

  receive() {
    if (this.inbox.length > 0) {
      return Promise.resolve(this.inbox.shift());
    }
    return Promise.race([new Promise(resolve => this.readers.push(resolve)), this.failed]);
  }
}

async function connect(wsUrl, token) {
  const sig = await Signaling.open(wsUrl);
  const init = await sig.request('INIT', token, 'INIT_OK');
  return {sig, me: init.payload};
}

async function host(wsUrl, token, lobby, reply) {
  const {sig, me} = await connect(wsUrl, token);
  await sig.request('CONFIG_HOST', {
    lobby_id: lobby, allow_host_reclaim: false, allow_peers_to_claim_host: false, max_peers: 0, password: ''
  }, 'ACK_HOST');
  report('ACK_HOST');
  const joined = (await sig.event('NEW_PEER')).payload;
  const link = new Link(sig, joined.id);
  await link.offer();
  await link.opened;
  const received = await link.receive();
  link.send(reply === undefined ? received : reply);
  return {me, peer: joined, received};
}

async function peer(wsUrl, token, lobby, message) {
  const {sig, me} = await connect(wsUrl, token);
  const anticipated = sig.event('ANTICIPATE');
  anticipated.catch(() => {});
  await sig.request('CONFIG_PEER', {lobby_id: lobby, password: ''}, 'ACK_PEER');
  const hostInfo = (await anticipated).payload;
  const link = new Link(sig, hostInfo.id);
  await link.opened;
  link.send(message);
  const received = await link.receive();
  return {me, host: hostInfo, received};
}
