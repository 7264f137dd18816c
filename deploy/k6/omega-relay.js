// k6 load script: CL Omega relays, the course of `relay-benchmark` (OmegaLoadDriver). Each VU is one pair:
// two accounts registered through the REST API (once per VU) with session tokens from /api/v0/login (each
// iteration); both INIT on /api/v0/signaling?ugi=UGI, the host opens a lobby (CONFIG_HOST -> ACK_HOST), the
// peer joins it (CONFIG_PEER -> ACK_PEER, NEW_PEER to the host). Then the peer streams ICE packets (a
// realistic candidate payload with the send time in it) to its host with WINDOW in flight for SECONDS;
// omega_relay_ms is the one-way latency, host side, after WARMUP seconds (both ends share the VU's clock).
//   k6 run -e BASE=http://127.0.0.1:8080 -e PAIRS=10 -e WINDOW=1 -e SECONDS=10 deploy/k6/omega-relay.js
// Two nodes, every relay crossing the cluster: -e HOST_WS=ws://node-a:8080 -e PEER_WS=ws://node-b:8080
import { Counter, Trend } from 'k6/metrics';
import {
  BASE, WS, Client, endSession, errorThresholds, latencyThresholds, now, num, pause, register, sessionToken, str,
} from './lib/common.js';

const UGI = str('UGI', '01HNPHRWS0N0AYMM5K4HN31V4W');
const HOST_WS = str('HOST_WS', WS);
const PEER_WS = str('PEER_WS', WS);
const PAIRS = num('PAIRS', 10);
const WINDOW = num('WINDOW', 1);
const WARMUP_MS = num('WARMUP', 2) * 1000;
const STREAM_MS = num('SECONDS', 10) * 1000;
const SETUP_TIMEOUT_MS = num('SETUP_TIMEOUT_MS', 10000);

const relayTime = new Trend('omega_relay_ms', true);
const relayed = new Counter('omega_relay_messages');
const refused = new Counter('omega_relay_refused');

export const options = {
  scenarios: {
    relay: {
      executor: 'per-vu-iterations',
      vus: PAIRS,
      iterations: num('ITERATIONS', 1),
      maxDuration: `${Math.ceil((WARMUP_MS + STREAM_MS + 4 * SETUP_TIMEOUT_MS) / 1000) * num('ITERATIONS', 1) + 60}s`,
      exec: 'relay',
    },
  },
  thresholds: Object.assign(latencyThresholds('omega_relay_ms', 'RELAY', 5, 10), errorThresholds()),
};

const CANDIDATE = {
  candidate: 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0',
  sdpMid: '0',
  sdpMLineIndex: 0,
};

/** What the peer sends: the payload convention of the cl5 client ({type 0 = data, contents}) plus the send time. */
function icePacket(recipient) {
  return { opcode: 'ICE', recipient, payload: { type: 0, contents: CANDIDATE, t: now() } };
}

let hostAccount;
let peerAccount;

async function setUp(host, peer, hostToken, peerToken, lobby) {
  await Promise.all([host.opened, peer.opened]);
  const init = await host.request({ opcode: 'INIT', payload: hostToken, listener: 'init' }, 'INIT_OK');
  const hostId = init.payload.id;
  await host.request({
    opcode: 'CONFIG_HOST',
    payload: { lobby_id: lobby, allow_host_reclaim: false, allow_peers_to_claim_host: false, max_peers: 1, password: '' },
    listener: 'host',
  }, 'ACK_HOST');
  await peer.request({ opcode: 'INIT', payload: peerToken, listener: 'init' }, 'INIT_OK');
  const newPeer = host.next('NEW_PEER');
  const joined = peer.request({ opcode: 'CONFIG_PEER', payload: { lobby_id: lobby, password: '' }, listener: 'peer' },
    'ACK_PEER');
  await Promise.all([newPeer, joined]);
  return hostId;
}

export async function relay() {
  if (!hostAccount) {
    hostAccount = register('oh');
    peerAccount = register('op');
  }
  const hostToken = hostAccount && sessionToken(hostAccount);
  const peerToken = peerAccount && sessionToken(peerAccount);
  if (!hostToken || !peerToken) {
    endSession([], 'omega relay pair', new Error(`no session tokens from ${BASE}`));
    await pause(1000);
    return;
  }
  const url = (base) => `${base}/api/v0/signaling?ugi=${UGI}`;
  const host = new Client(url(HOST_WS), 'omega', 'host', SETUP_TIMEOUT_MS);
  const peer = new Client(url(PEER_WS), 'omega', 'peer', SETUP_TIMEOUT_MS);
  let failure = null;
  const stream = new Promise((resolve, reject) => {
    const stop = (reason) => reject(new Error(reason));
    host.onFailure = stop;
    peer.onFailure = stop;
    setUp(host, peer, hostToken, peerToken, `k6-${__VU}-${__ITER}-${Math.floor(Math.random() * 1e9)}`)
      .then((hostId) => {
        const started = now();
        let running = true;
        host.traffic = (msg, opcode) => {
          if (opcode !== 'ICE' || !msg.payload || typeof msg.payload.t !== 'number') {
            return;
          }
          const at = now();
          if (at - started >= WARMUP_MS) {
            relayTime.add(at - msg.payload.t);
            relayed.add(1);
          }
          if (running) {
            peer.send(icePacket(hostId));
          }
        };
        peer.traffic = (msg, opcode) => {
          // RELAY_OK acknowledges each packet; anything else in reply to ICE is a refusal.
          if (opcode === 'PEER_INVALID' || opcode === 'WARNING' || opcode === 'CONFIG_REQUIRED' || opcode === 'VIOLATION') {
            refused.add(1);
            failure = failure || new Error(`peer: relay refused with ${opcode}`);
          }
        };
        for (let w = 0; w < WINDOW; w++) {
          peer.send(icePacket(hostId));
        }
        return pause(WARMUP_MS + STREAM_MS).then(() => {
          running = false;
          resolve();
        });
      })
      .catch(reject);
  });
  try {
    await stream;
  } catch (err) {
    failure = failure || err;
  }
  // The peer leaves first, so the host does not see the lobby closed under a peer still sending.
  endSession([peer, host], 'omega relay pair', failure);
}
