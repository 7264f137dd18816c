// Shared pieces of the k6 scripts: settings from the environment, thresholds, accounts and tokens over
// REST, and a WebSocket client (k6/websockets) that awaits messages by type during set-up and hands the
// rest of the traffic to a handler, as the project's load drivers do (deploy/.../load/WsClient.java).
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';
import { WebSocket } from 'k6/websockets';
import { setTimeout, clearTimeout } from 'k6/timers';

export const BASE = __ENV.BASE || 'http://127.0.0.1:8080';
export const WS = __ENV.WS || BASE.replace(/^http/, 'ws');

/** One sample per session (an iteration's conversation): 1 when it failed, 0 when it completed. */
export const errors = new Rate('errors');

/** A number from the environment, or the default. */
export function num(name, fallback) {
  const value = __ENV[name];
  if (value === undefined || value === '') {
    return fallback;
  }
  const n = Number(value);
  if (Number.isNaN(n)) {
    throw new Error(`${name} must be a number, got ${value}`);
  }
  return n;
}

/** A string from the environment, or the default. */
export function str(name, fallback) {
  const value = __ENV[name];
  return value === undefined || value === '' ? fallback : value;
}

/** p95 and p99 limits (ms) on a latency Trend, overridable by <prefix>_P95_MS and <prefix>_P99_MS. */
export function latencyThresholds(metric, prefix, p95, p99) {
  return {
    [metric]: [`p(95)<${num(`${prefix}_P95_MS`, p95)}`, `p(99)<${num(`${prefix}_P99_MS`, p99)}`],
  };
}

/** The error rate (MAX_ERROR_RATE, default 0.01) and the share of checks that must pass (MIN_CHECKS, default 0.99). */
export function errorThresholds() {
  return {
    errors: [`rate<${num('MAX_ERROR_RATE', 0.01)}`],
    checks: [`rate>${num('MIN_CHECKS', 0.99)}`],
  };
}

/** A clock for one-way latency: both ends of a measured path run in the same VU, so a monotonic clock is enough. */
export const now = (typeof performance === 'object' && performance !== null && typeof performance.now === 'function')
  ? () => performance.now()
  : () => Date.now();

const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };

/** A user name no other VU, iteration or run uses (3..20 characters of [A-Za-z0-9_-]). */
export function uniqueName(prefix) {
  const random = Math.floor(Math.random() * 60466176).toString(36);
  return `${prefix}${__VU.toString(36)}x${__ITER.toString(36)}x${random}`.slice(0, 20);
}

/** Registers an account (POST /api/v0/register); returns {username, email, password}, or null. */
export function register(prefix) {
  const username = uniqueName(prefix);
  const account = { username, email: `${username}@load.test`, password: `pw-${username}-secret` };
  const res = http.post(`${BASE}/api/v0/register`, JSON.stringify(account), JSON_HEADERS);
  return check(res, { 'account registered': (r) => r.status === 201 }) ? account : null;
}

/** A CL Omega session token (POST /api/v0/login, the body is the token), or null. */
export function sessionToken(account) {
  const res = http.post(`${BASE}/api/v0/login`, JSON.stringify({ email: account.email, password: account.password }),
    JSON_HEADERS);
  return check(res, { 'session token issued': (r) => r.status === 200 && !!r.body }) ? String(res.body).trim() : null;
}

/** A FAF lobby token (POST /oauth2/token, password grant, scope lobby), or null. */
export function lobbyToken(account) {
  const res = http.post(`${BASE}/oauth2/token`,
    { grant_type: 'password', username: account.username, password: account.password, scope: 'lobby' });
  return check(res, { 'lobby token issued': (r) => r.status === 200 }) ? res.json('access_token') : null;
}

/** Rejects after ms unless settled first; the timer is cleared either way, so it never keeps a VU alive. */
export function within(promise, ms, what) {
  let timer;
  const expired = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).then(
    (value) => { clearTimeout(timer); return value; },
    (err) => { clearTimeout(timer); throw err; });
}

/** Resolves after ms. */
export function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const PROTOCOLS = {
  // CL Omega: one JSON object per frame, type in "opcode".
  omega: { typeField: 'opcode', terminator: '' },
  // FAF lobby: one JSON object per frame ending in a newline, type in "command".
  faf: { typeField: 'command', terminator: '\n' },
};

/**
 * A WebSocket conversation. request()/next() await the next message of a type (set-up); every other
 * message goes to the traffic handler (streaming). A close or an error before close() fails whatever is
 * awaited, and is reported to onFailure.
 */
export class Client {
  constructor(url, protocol, name, timeoutMs) {
    this.name = name;
    this.protocol = PROTOCOLS[protocol];
    this.timeoutMs = timeoutMs;
    this.awaiting = {};
    this.traffic = () => {};
    this.onEvery = () => {};
    this.onFailure = () => {};
    this.closing = false;
    this.failure = null;
    this.ws = new WebSocket(url);
    this.opened = within(new Promise((resolve, reject) => {
      this.openWaiter = { resolve, reject };
    }), timeoutMs, `${name}: open`);
    this.opened.catch(() => {});
    this.ws.onopen = () => this.openWaiter.resolve(this);
    this.ws.onmessage = (event) => this.receive(event.data);
    this.ws.onerror = (event) => this.fail(`${name}: ${event && event.error ? event.error : 'WebSocket error'}`);
    this.ws.onclose = () => this.fail(`${name}: closed by the server`);
  }

  receive(data) {
    const frames = this.protocol.terminator ? String(data).split(this.protocol.terminator) : [String(data)];
    for (const frame of frames) {
      if (!frame) {
        continue;
      }
      try {
        this.dispatch(JSON.parse(frame));
      } catch (err) {
        this.fail(`${this.name}: ${err && err.message ? err.message : err} (handling ${frame.slice(0, 200)})`);
        return;
      }
    }
  }

  dispatch(msg) {
    const type = msg[this.protocol.typeField];
    this.onEvery(msg);
    if (this.protocol === PROTOCOLS.faf && type === 'ping') {
      // The lobby server pings idle clients; a game client answers.
      this.send({ command: 'pong' });
      return;
    }
    const waiter = this.awaiting[type];
    if (waiter && waiter.accept(msg)) {
      delete this.awaiting[type];
      waiter.resolve(msg);
    } else {
      this.traffic(msg, type);
    }
  }

  fail(reason) {
    if (this.closing || this.failure) {
      return;
    }
    this.failure = reason;
    this.openWaiter.reject(new Error(reason));
    for (const type of Object.keys(this.awaiting)) {
      this.awaiting[type].reject(new Error(`${reason} (awaiting ${type})`));
    }
    this.awaiting = {};
    this.onFailure(reason);
  }

  /** The next message of this type (that accept takes, if given), within the client's time-out. */
  next(type, accept) {
    if (this.failure || this.closing) {
      return Promise.reject(new Error(this.failure || `${this.name}: closed`));
    }
    const reply = new Promise((resolve, reject) => {
      this.awaiting[type] = { resolve, reject, accept: accept || (() => true) };
    });
    const result = within(reply, this.timeoutMs, `${this.name}: ${type}`);
    // Marked as handled: after a failure elsewhere, a reply nobody awaits any more is rejected on close.
    result.catch(() => {});
    return result;
  }

  /** Sends a message and resolves with the next message of type expected (that accept takes, if given). */
  request(msg, expected, accept) {
    const reply = this.next(expected, accept);
    this.send(msg);
    return reply;
  }

  send(msg) {
    this.sendText(JSON.stringify(msg) + this.protocol.terminator);
  }

  sendText(text) {
    if (this.closing || this.failure) {
      return;
    }
    try {
      this.ws.send(text);
    } catch (err) {
      // The socket closed under us; its close event may not have arrived yet.
      this.fail(`${this.name}: send failed: ${err && err.message ? err.message : err}`);
    }
  }

  /** Closes the socket; whatever is still awaited fails at once, so no time-out keeps the VU alive. */
  close() {
    if (this.closing) {
      return;
    }
    this.closing = true;
    for (const type of Object.keys(this.awaiting)) {
      this.awaiting[type].reject(new Error(`${this.name}: closed (awaiting ${type})`));
    }
    this.awaiting = {};
    this.openWaiter.reject(new Error(`${this.name}: closed`));
    try {
      this.ws.close();
    } catch (err) {
      // Already closed (or never opened): nothing left to close.
    }
  }
}

/** Closes the clients, records the session in the error rate and a check, and logs why a session failed. */
export function endSession(clients, what, err) {
  for (const c of clients) {
    if (c) {
      c.close();
    }
  }
  errors.add(err ? 1 : 0);
  check(err, { [`${what} completed`]: (e) => !e });
  if (err) {
    console.warn(`${what} failed: ${err && err.message ? err.message : err}`);
  }
}

/** A GPGNet message from a FAF player's game. */
export function gpg(command, ...args) {
  return { command, target: 'game', args };
}

/**
 * Logs in on the FAF lobby: auth -> welcome ... game_info with the games list (the end of the login
 * sequence). Resolves with welcome ({id, login, ...}).
 */
export async function fafLogin(client, token) {
  await client.opened;
  const welcome = client.next('welcome');
  const games = client.request({ command: 'auth', token, unique_id: 'k6' }, 'game_info', (msg) => !!msg.games);
  const both = await Promise.all([welcome, games]);
  return both[0];
}

/** The player's game reports GameState Idle, then Lobby; resolves with the order expected (HostGame, JoinGame). */
export function openSide(player, expected) {
  player.send(gpg('GameState', 'Idle'));
  return player.request(gpg('GameState', 'Lobby'), expected);
}
