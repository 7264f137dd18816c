// k6 load script: CL Omega signaling sessions. Each iteration registers an account, logs in for a session
// token, INITs on the demo game and measures KEEPALIVE round trips for 20 s.
//   k6 run -e BASE=http://127.0.0.1:8080 -e WS=ws://127.0.0.1:8080 deploy/k6/omega-signaling.js
import http from 'k6/http';
import ws from 'k6/ws';
import { check } from 'k6';
import { Trend } from 'k6/metrics';

const BASE = __ENV.BASE || 'http://127.0.0.1:8080';
const WS = __ENV.WS || 'ws://127.0.0.1:8080';
const UGI = __ENV.UGI || '01HNPHRWS0N0AYMM5K4HN31V4W';
const keepalive = new Trend('omega_keepalive_ms', true);

export const options = {
  vus: Number(__ENV.VUS || 20),
  duration: __ENV.DURATION || '1m',
  thresholds: { checks: ['rate>0.99'] },
};

function sessionToken() {
  const name = `k6o${__VU}x${Date.now() % 100000}`.slice(0, 20);
  const password = `pw-${name}-secret`;
  const email = `${name}@load.test`;
  http.post(`${BASE}/api/v0/register`, JSON.stringify({ username: name, password, email }),
    { headers: { 'Content-Type': 'application/json' } });
  const res = http.post(`${BASE}/api/v0/login`, JSON.stringify({ email, password }),
    { headers: { 'Content-Type': 'application/json' } });
  check(res, { 'session token': (r) => r.status === 200 });
  return res.body;
}

export default function () {
  const token = sessionToken();
  const res = ws.connect(`${WS}/api/v0/signaling?ugi=${UGI}`, {}, (socket) => {
    let sent = 0;
    socket.on('open', () => socket.send(JSON.stringify({ opcode: 'INIT', payload: token, listener: 'init' })));
    socket.on('message', (data) => {
      const p = JSON.parse(data);
      if (p.opcode === 'INIT_OK' || p.opcode === 'KEEPALIVE') {
        if (p.opcode === 'KEEPALIVE') keepalive.add(Date.now() - sent);
        sent = Date.now();
        socket.send(JSON.stringify({ opcode: 'KEEPALIVE', listener: 'ka' }));
      }
    });
    socket.setTimeout(() => socket.close(), 20000);
  });
  check(res, { 'upgraded': (r) => r && r.status === 101 });
}
