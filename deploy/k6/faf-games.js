// k6 load script: FAF custom games over WebSocket. Each VU registers an account and gets a lobby token
// once, then repeatedly logs in, hosts a game (game_host -> game_launch), opens its lobby (GameState Idle,
// Lobby -> HostGame), changes a few options, closes the game (GameState Ended), pings and disconnects.
// faf_game_launch_ms is game_host -> game_launch, faf_host_game_ms is GameState Lobby -> HostGame; every
// other connected player receives the game_info announcements (faf_game_info_received).
//   k6 run -e BASE=http://127.0.0.1:8080 -e VUS=20 -e DURATION=1m deploy/k6/faf-games.js
import { Counter, Trend } from 'k6/metrics';
import {
  BASE, WS, Client, endSession, errorThresholds, fafLogin, gpg, latencyThresholds, lobbyToken, now, num, pause,
  register, str,
} from './lib/common.js';

const TIMEOUT_MS = num('TIMEOUT_MS', 15000);
const launchTime = new Trend('faf_game_launch_ms', true);
const hostGameTime = new Trend('faf_host_game_ms', true);
const gameInfos = new Counter('faf_game_info_received');

export const options = {
  scenarios: {
    games: { executor: 'constant-vus', vus: num('VUS', 20), duration: str('DURATION', '1m'), exec: 'default' },
  },
  thresholds: Object.assign(
    latencyThresholds('faf_game_launch_ms', 'LAUNCH', 500, 1000),
    latencyThresholds('faf_host_game_ms', 'HOST_GAME', 500, 1000),
    errorThresholds()),
};

let account;
let token;

export default async function () {
  if (!token) {
    account = account || register('fg');
    token = account && lobbyToken(account);
  }
  if (!token) {
    endSession([], 'faf game', new Error(`no lobby token from ${BASE}`));
    await pause(1000);
    return;
  }
  const client = new Client(`${WS}/lobby`, 'faf', 'host', TIMEOUT_MS);
  client.onEvery = (msg) => {
    if (msg.command === 'game_info') {
      gameInfos.add(1);
    }
  };
  let failure = null;
  client.traffic = (msg, command) => {
    if (command === 'notice' && msg.style === 'error') {
      failure = failure || new Error(`error notice: ${msg.text}`);
    }
  };
  try {
    await fafLogin(client, token);
    const hosted = now();
    await client.request({ command: 'game_host', visibility: 'public', title: `k6 game ${__VU}` }, 'game_launch');
    launchTime.add(now() - hosted);
    client.send(gpg('GameState', 'Idle'));
    const lobby = now();
    await client.request(gpg('GameState', 'Lobby'), 'HostGame');
    hostGameTime.add(now() - lobby);
    client.send(gpg('GameOption', 'Slots', 8));
    client.send(gpg('GameOption', 'ScenarioFile', '/maps/scmp_009/scmp_009_scenario.lua'));
    client.send(gpg('GameState', 'Ended'));
    await client.request({ command: 'ping' }, 'pong');
  } catch (err) {
    failure = failure || err;
  }
  endSession([client], 'faf game', failure);
}
