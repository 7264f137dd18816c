// k6 load script: FAF logins over WebSocket. Each VU registers an account and gets a lobby token once
// (/api/v0/register, /oauth2/token), then repeatedly connects to /lobby, logs in (auth -> welcome ... the
// game_info with the games list, the end of the login sequence), pings and disconnects. faf_login_ms is
// connect -> end of the login sequence.
//   k6 run -e BASE=http://127.0.0.1:8080 -e VUS=50 -e DURATION=1m deploy/k6/faf-login.js
import { Trend } from 'k6/metrics';
import {
  BASE, WS, Client, endSession, errorThresholds, fafLogin, latencyThresholds, lobbyToken, now, num, pause, register, str,
} from './lib/common.js';

const TIMEOUT_MS = num('TIMEOUT_MS', 10000);
const loginTime = new Trend('faf_login_ms', true);

export const options = {
  scenarios: {
    logins: { executor: 'constant-vus', vus: num('VUS', 50), duration: str('DURATION', '1m'), exec: 'default' },
  },
  thresholds: Object.assign(latencyThresholds('faf_login_ms', 'LOGIN', 500, 1000), errorThresholds()),
};

let account;
let token;

export default async function () {
  if (!token) {
    account = account || register('fl');
    token = account && lobbyToken(account);
  }
  if (!token) {
    endSession([], 'faf login', new Error(`no lobby token from ${BASE}`));
    await pause(1000);
    return;
  }
  const started = now();
  const client = new Client(`${WS}/lobby`, 'faf', 'player', TIMEOUT_MS);
  let failure = null;
  try {
    await fafLogin(client, token);
    loginTime.add(now() - started);
    await client.request({ command: 'ping' }, 'pong');
  } catch (err) {
    failure = err;
  }
  endSession([client], 'faf login', failure);
}
