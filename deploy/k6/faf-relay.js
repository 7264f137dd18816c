// k6 load script: the FAF game relay, the course of `faf-relay-benchmark` (FafLoadDriver). Each VU is one
// pair: two accounts registered through the REST API with lobby tokens from /oauth2/token (once per VU);
// both log in over WebSocket (/lobby: auth -> welcome ... game_info); the host hosts a public game
// (game_host -> game_launch) and opens its lobby (GameState Idle, Lobby -> HostGame); the joiner joins it
// (game_join -> game_launch; GameState Idle, Lobby -> JoinGame, ConnectToPeer to the host). Then the
// joiner's game streams IceMsg [hostId, candidate with the send time] to its host through the games
// service with WINDOW in flight for SECONDS; faf_relay_ms is the one-way latency, host side, after WARMUP
// seconds (both ends share the VU's clock).
//   k6 run -e BASE=http://127.0.0.1:8080 -e PAIRS=10 -e WINDOW=1 -e SECONDS=10 deploy/k6/faf-relay.js
// Two nodes, every relay crossing the cluster: -e HOST_WS=ws://node-a:8080 -e JOINER_WS=ws://node-b:8080
import { Counter, Trend } from 'k6/metrics';
import {
  BASE, WS, Client, endSession, errorThresholds, fafLogin, gpg, latencyThresholds, lobbyToken, now, num, openSide, pause,
  register, str,
} from './lib/common.js';

const HOST_WS = str('HOST_WS', WS);
const JOINER_WS = str('JOINER_WS', WS);
const PAIRS = num('PAIRS', 10);
const WINDOW = num('WINDOW', 1);
const WARMUP_MS = num('WARMUP', 2) * 1000;
const STREAM_MS = num('SECONDS', 10) * 1000;
const SETUP_TIMEOUT_MS = num('SETUP_TIMEOUT_MS', 10000);

const relayTime = new Trend('faf_relay_ms', true);
const relayed = new Counter('faf_relay_messages');
const notices = new Counter('faf_relay_error_notices');

export const options = {
  scenarios: {
    relay: {
      executor: 'per-vu-iterations',
      vus: PAIRS,
      iterations: num('ITERATIONS', 1),
      maxDuration: `${Math.ceil((WARMUP_MS + STREAM_MS + 8 * SETUP_TIMEOUT_MS) / 1000) * num('ITERATIONS', 1) + 60}s`,
      exec: 'relay',
    },
  },
  thresholds: Object.assign(latencyThresholds('faf_relay_ms', 'RELAY', 10, 25), errorThresholds()),
};

const CANDIDATE = {
  candidate: 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0'
    + ' ufrag 7sDd network-cost 50',
  sdpMid: '0',
  sdpMLineIndex: 0,
  protocol: 'udp',
  priority: 1677729535,
};

/** What the joiner's game sends: IceMsg [receiverId, an ICE candidate message as the FAF ICE adapter sends it + the send time]. */
const iceMessage = (receiver) => gpg('IceMsg', receiver, { type: 'candidate', candidate: CANDIDATE, t: now() });

let hostAccount;
let joinerAccount;
let hostToken;
let joinerToken;

async function setUp(host, joiner) {
  const logins = await Promise.all([fafLogin(host, hostToken), fafLogin(joiner, joinerToken)]);
  const hostId = logins[0].id;
  const launch = await host.request({ command: 'game_host', visibility: 'public', title: `k6 relay ${__VU}` },
    'game_launch');
  await openSide(host, 'HostGame');
  await joiner.request({ command: 'game_join', uid: launch.uid }, 'game_launch');
  const connect = host.next('ConnectToPeer');
  const joinGame = openSide(joiner, 'JoinGame');
  await Promise.all([connect, joinGame]);
  return hostId;
}

export async function relay() {
  if (!hostToken || !joinerToken) {
    hostAccount = hostAccount || register('fh');
    joinerAccount = joinerAccount || register('fj');
    hostToken = hostAccount && lobbyToken(hostAccount);
    joinerToken = joinerAccount && lobbyToken(joinerAccount);
  }
  if (!hostToken || !joinerToken) {
    endSession([], 'faf relay pair', new Error(`no lobby tokens from ${BASE}`));
    await pause(1000);
    return;
  }
  const host = new Client(`${HOST_WS}/lobby`, 'faf', 'host', SETUP_TIMEOUT_MS);
  const joiner = new Client(`${JOINER_WS}/lobby`, 'faf', 'joiner', SETUP_TIMEOUT_MS);
  let failure = null;
  const refusal = (who) => (msg, command) => {
    if (command === 'notice' && msg.style === 'error') {
      notices.add(1);
      failure = failure || new Error(`${who}: error notice: ${msg.text}`);
    }
  };
  host.traffic = refusal('host');
  joiner.traffic = refusal('joiner');
  const stream = new Promise((resolve, reject) => {
    const stop = (reason) => reject(new Error(reason));
    host.onFailure = stop;
    joiner.onFailure = stop;
    setUp(host, joiner)
      .then((hostId) => {
        const started = now();
        let running = true;
        const hostRefusal = refusal('host');
        // Hosts also see game_info announcements and the like; only relayed IceMsg packets count.
        host.traffic = (msg, command) => {
          if (command !== 'IceMsg') {
            hostRefusal(msg, command);
            return;
          }
          const payload = msg.args && msg.args[1];
          if (!payload || typeof payload.t !== 'number') {
            return;
          }
          const at = now();
          if (at - started >= WARMUP_MS) {
            relayTime.add(at - payload.t);
            relayed.add(1);
          }
          if (running) {
            joiner.send(iceMessage(hostId));
          }
        };
        for (let w = 0; w < WINDOW; w++) {
          joiner.send(iceMessage(hostId));
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
  endSession([joiner, host], 'faf relay pair', failure);
}
