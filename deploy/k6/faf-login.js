// k6 load script: FAF logins over WebSocket. Each virtual user registers an account once, gets an access
// token, then repeatedly connects, logs in, waits for the end of the login sequence (game_info), pings
// and disconnects.
//   k6 run -e BASE=http://127.0.0.1:8080 -e WS=ws://127.0.0.1:8080 deploy/k6/faf-login.js
import http from 'k6/http';
import ws from 'k6/ws';
import { check } from 'k6';
import { Trend } from 'k6/metrics';

const BASE = __ENV.BASE || 'http://127.0.0.1:8080';
const WS = __ENV.WS || 'ws://127.0.0.1:8080';
const loginTime = new Trend('faf_login_ms', true);

export const options = {
  vus: Number(__ENV.VUS || 50),
  duration: __ENV.DURATION || '1m',
  thresholds: { checks: ['rate>0.99'] },
};

let token;

function account() {
  const name = `k6${__VU}x${Date.now() % 100000}`.slice(0, 20);
  const password = `pw-${name}-secret`;
  http.post(`${BASE}/api/v0/register`, JSON.stringify({ username: name, password, email: `${name}@load.test` }),
    { headers: { 'Content-Type': 'application/json' } });
  const res = http.post(`${BASE}/oauth2/token`, { grant_type: 'password', username: name, password, scope: 'lobby' });
  check(res, { 'token issued': (r) => r.status === 200 });
  return res.json('access_token');
}

export default function () {
  if (!token) {
    token = account();
  }
  const started = Date.now();
  const res = ws.connect(`${WS}/lobby`, {}, (socket) => {
    socket.on('open', () => socket.send(JSON.stringify({ command: 'auth', token, unique_id: 'k6' }) + '\n'));
    socket.on('message', (data) => {
      for (const line of data.split('\n')) {
        if (!line) continue;
        const msg = JSON.parse(line);
        if (msg.command === 'game_info' && msg.games) {
          loginTime.add(Date.now() - started);
          socket.send(JSON.stringify({ command: 'ping' }) + '\n');
        } else if (msg.command === 'pong') {
          socket.close();
        } else if (msg.command === 'authentication_failed') {
          socket.close();
        }
      }
    });
    socket.setTimeout(() => socket.close(), 10000);
  });
  check(res, { 'upgraded': (r) => r && r.status === 101 });
}
