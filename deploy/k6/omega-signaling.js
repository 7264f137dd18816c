// k6 load script: CL Omega signaling sessions. Each iteration registers an account, logs in for a session
// token (/api/v0/register, /api/v0/login), INITs on /api/v0/signaling?ugi=UGI and measures KEEPALIVE round
// trips (omega_keepalive_ms) for SESSION_SECONDS, one every KEEPALIVE_INTERVAL_MS (0 = back to back).
//   k6 run -e BASE=http://127.0.0.1:8080 -e VUS=20 -e DURATION=1m deploy/k6/omega-signaling.js
import { Trend } from 'k6/metrics';
import {
  BASE, WS, Client, endSession, errorThresholds, latencyThresholds, now, num, pause, register, sessionToken, str,
} from './lib/common.js';

const UGI = str('UGI', '01HNPHRWS0N0AYMM5K4HN31V4W');
const SESSION_MS = num('SESSION_SECONDS', 20) * 1000;
const INTERVAL_MS = num('KEEPALIVE_INTERVAL_MS', 0);
const TIMEOUT_MS = num('TIMEOUT_MS', 10000);
const keepalive = new Trend('omega_keepalive_ms', true);

export const options = {
  scenarios: {
    sessions: { executor: 'constant-vus', vus: num('VUS', 20), duration: str('DURATION', '1m'), exec: 'default' },
  },
  thresholds: Object.assign(latencyThresholds('omega_keepalive_ms', 'KEEPALIVE', 50, 100), errorThresholds()),
};

export default async function () {
  const account = register('os');
  const token = account && sessionToken(account);
  if (!token) {
    endSession([], 'omega session', new Error(`no session token from ${BASE}`));
    await pause(1000);
    return;
  }
  const client = new Client(`${WS}/api/v0/signaling?ugi=${UGI}`, 'omega', 'session', TIMEOUT_MS);
  let failure = null;
  try {
    await client.opened;
    await client.request({ opcode: 'INIT', payload: token, listener: 'init' }, 'INIT_OK');
    const until = now() + SESSION_MS;
    while (now() < until) {
      const sent = now();
      await client.request({ opcode: 'KEEPALIVE', listener: 'ka' }, 'KEEPALIVE');
      keepalive.add(now() - sent);
      if (INTERVAL_MS > 0) {
        await pause(INTERVAL_MS);
      }
    }
  } catch (err) {
    failure = err;
  }
  endSession([client], 'omega session', failure);
}
