// k6 load script: FAF custom games over WebSocket. Each virtual user registers an account once, then
// repeatedly logs in, hosts a game (game_host -> game_launch), opens its lobby (GameState Idle + Lobby ->
// HostGame), changes a few options, closes the game (GameState Ended) and disconnects. Measures the time
// to game_launch and to HostGame; every other connected player receives the game_info announcements.
//   k6 run -e BASE=http://127.0.0.1:8080 -e WS=ws://127.0.0.1:8080 deploy/k6/faf-games.js
import http from 'k6/http';
import ws from 'k6/ws';
import { check } from 'k6';
import { Trend, Counter } from 'k6/metrics';

const BASE = __ENV.BASE || 'http://127.0.0.1:8080';
const WS = __ENV.WS || 'ws://127.0.0.1:8080';
const launchTime = new Trend('faf_game_launch_ms', true);
const hostGameTime = new Trend('faf_host_game_ms', true);
const gameInfos = new Counter('faf_game_info_received');

export const options = {
  vus: Number(__ENV.VUS || 20),
  duration: __ENV.DURATION || '1m',
  thresholds: { checks: ['rate>0.99'] },
};

let token;

function account() {
  const name = `k6g${__VU}x${Date.now() % 100000}`.slice(0, 20);
  const password = `pw-${name}-secret`;
  http.post(`${BASE}/api/v0/register`, JSON.stringify({ username: name, password, email: `${name}@load.test` }),
    { headers: { 'Content-Type': 'application/json' } });
  const res = http.post(`${BASE}/oauth2/token`, { grant_type: 'password', username: name, password, scope: 'lobby' });
  check(res, { 'token issued': (r) => r.status === 200 });
  return res.json('access_token');
}

const line = (msg) => JSON.stringify(msg) + '\n';
const gpg = (command, ...args) => line({ command, target: 'game', args });

export default function () {
  if (!token) {
    token = account();
  }
  let hostedAt = 0;
  let lobbyAt = 0;
  let launched = false;
  let hosted = false;
  const res = ws.connect(`${WS}/lobby`, {}, (socket) => {
    socket.on('open', () => socket.send(line({ command: 'auth', token, unique_id: 'k6' })));
    socket.on('message', (data) => {
      for (const text of data.split('\n')) {
        if (!text) continue;
        const msg = JSON.parse(text);
        if (msg.command === 'game_info') {
          gameInfos.add(1);
          if (msg.games && !hostedAt) {
            hostedAt = Date.now();
            socket.send(line({ command: 'game_host', visibility: 'public', title: `k6 game ${__VU}` }));
          }
        } else if (msg.command === 'game_launch') {
          launched = true;
          launchTime.add(Date.now() - hostedAt);
          lobbyAt = Date.now();
          socket.send(gpg('GameState', 'Idle'));
          socket.send(gpg('GameState', 'Lobby'));
        } else if (msg.command === 'HostGame') {
          hosted = true;
          hostGameTime.add(Date.now() - lobbyAt);
          socket.send(gpg('GameOption', 'Slots', 8));
          socket.send(gpg('GameOption', 'ScenarioFile', '/maps/scmp_009/scmp_009_scenario.lua'));
          socket.send(gpg('GameState', 'Ended'));
          socket.send(line({ command: 'ping' }));
        } else if (msg.command === 'pong' && hosted) {
          socket.close();
        } else if (msg.command === 'notice' && msg.style === 'error') {
          socket.close();
        }
      }
    });
    socket.setTimeout(() => socket.close(), 15000);
  });
  check(res, { 'upgraded': (r) => r && r.status === 101 });
  check(null, { 'game launched': () => launched, 'lobby hosted': () => hosted });
}
