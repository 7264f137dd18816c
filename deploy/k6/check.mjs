// Checks the k6 scripts of this directory without k6: every script (and its local modules) must parse as
// an ES module, import only the k6 modules the project uses (k6, k6/http, k6/metrics, k6/websockets,
// k6/timers; the legacy k6/ws is refused), and export options whose thresholds hold p(95) and p(99) limits
// on every latency Trend, a rate limit on the "errors" Rate and on checks; each scenario's exec (or
// default) must be an exported function. Then each scenario runs one iteration against stand-ins for k6
// and an in-process fake of the lobby and signaling servers (REST, FAF /lobby, CL Omega signaling): the
// iteration must finish with every socket closed, no failed check, no error counted, and samples in every
// Trend.
//   node deploy/k6/check.mjs [script.js ...]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const KNOWN = ['k6', 'k6/http', 'k6/metrics', 'k6/websockets', 'k6/timers'];
const DRY_RUN_ENV = {
  BASE: 'http://k6-check.invalid:8080',
  VUS: '1', PAIRS: '1', WINDOW: '2', ITERATIONS: '1', DURATION: '1s',
  WARMUP: '0.05', SECONDS: '0.3', SESSION_SECONDS: '0.2',
  SETUP_TIMEOUT_MS: '3000', TIMEOUT_MS: '3000',
};

// ---------------------------------------------------------------------------------------------------------
// Parent: copy, rewrite k6 imports, syntax-check, and run each script in its own process.

function main(args) {
  const scripts = args.length > 0 ? args.map((a) => resolve(a))
    : readdirSync(HERE).filter((f) => f.endsWith('.js')).sort().map((f) => join(HERE, f));
  if (scripts.length === 0) {
    console.error(`no k6 scripts in ${HERE}`);
    return 1;
  }
  const work = mkdtempSync(join(tmpdir(), 'k6-check-'));
  const failed = [];
  try {
    const root = dirname(scripts[0]);
    cpSync(root, join(work, 'scripts'), { recursive: true, filter: (src) => !src.includes('node_modules') });
    writeFileSync(join(work, 'package.json'), '{"type":"module"}\n');
    mkdirSync(join(work, 'stubs'));
    for (const [name, text] of Object.entries(STUBS)) {
      writeFileSync(join(work, 'stubs', name), text);
    }
    const problems = new Map();
    for (const file of walk(join(work, 'scripts'))) {
      const rel = relative(join(work, 'scripts'), file);
      const original = readFileSync(file, 'utf8');
      const bad = [];
      const rewritten = original.replace(/(\bfrom\s*|\bimport\s*\(?\s*)(['"])(k6(?:\/[^'"]*)?)\2/g, (all, lead, q, spec) => {
        if (!KNOWN.includes(spec)) {
          bad.push(spec === 'k6/ws'
            ? 'imports the legacy k6/ws module; use k6/websockets'
            : `imports ${spec}, not one of ${KNOWN.join(', ')}`);
          return all;
        }
        const stub = relative(dirname(file), join(work, 'stubs', `${spec.replace('/', '-')}.js`)).split('\\').join('/');
        return `${lead}${q}${stub.startsWith('.') ? stub : `./${stub}`}${q}`;
      });
      writeFileSync(file, rewritten);
      const syntax = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      if (syntax.status !== 0) {
        bad.push(`does not parse as an ES module:\n${(syntax.stderr || '').replaceAll(join(work, 'scripts'), '').trim()}`);
      }
      if (bad.length > 0) {
        problems.set(rel, bad);
      }
    }
    for (const [rel, bad] of problems) {
      if (!scripts.some((s) => relative(root, s) === rel)) {
        for (const b of bad) {
          console.log(`FAIL ${rel}: ${b}`);
        }
        failed.push(rel);
      }
    }
    for (const script of scripts) {
      const rel = relative(root, script);
      if (problems.has(rel)) {
        for (const b of problems.get(rel)) {
          console.log(`FAIL ${rel}: ${b}`);
        }
        failed.push(rel);
        continue;
      }
      const copy = join(work, 'scripts', rel);
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--run-one', copy, rel], {
        encoding: 'utf8', timeout: 60000, env: { ...process.env, ...DRY_RUN_ENV },
      });
      const out = `${child.stdout || ''}${child.stderr || ''}`.replaceAll(join(work, 'scripts'), '').trim();
      if (child.status === 0) {
        console.log(out);
      } else {
        console.log(out || `FAIL ${rel}: the check process ended with ${child.status ?? child.signal}`);
        failed.push(rel);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(failed.length === 0 ? `all ${scripts.length} k6 scripts passed`
    : `k6 scripts check failed: ${failed.join(', ')}`);
  return failed.length === 0 ? 0 : 1;
}

function walk(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      files.push(...walk(path));
    } else if (name.endsWith('.js')) {
      files.push(path);
    }
  }
  return files;
}

// ---------------------------------------------------------------------------------------------------------
// Child: import one script with the stand-ins, check its options, run one iteration of each scenario.

async function runOne(file, rel) {
  const h = harness();
  globalThis.__k6check = h;
  globalThis.__ENV = { ...process.env };
  globalThis.__VU = 1;
  globalThis.__ITER = 0;
  console.warn = (...args) => h.warnings.push(args.join(' '));
  const problems = [];
  const notes = [];
  const watchdog = setTimeout(() => {
    console.log(`FAIL ${rel}: the dry run did not finish within 45 s (an awaited reply never came, or a socket or timer stayed open)`);
    process.exit(1);
  }, 45000);
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    console.log(`FAIL ${rel}: importing it failed: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  }
  const options = mod.options;
  const trends = h.metrics.filter((m) => m.type === 'trend');
  if (!options || typeof options !== 'object') {
    problems.push('exports no options object');
  } else {
    const thresholds = options.thresholds || {};
    const limits = (name) => [].concat(thresholds[name] || []).map((t) => (typeof t === 'string' ? t : t && t.threshold));
    const limit = (name, re) => limits(name).find((t) => typeof t === 'string' && re.test(t.replace(/\s+/g, '')));
    if (trends.length === 0) {
      problems.push('defines no latency Trend');
    }
    for (const t of trends) {
      const p95 = limit(t.name, /^p\(95\)<=?\d+(\.\d+)?$/);
      const p99 = limit(t.name, /^p\(99\)<=?\d+(\.\d+)?$/);
      if (!p95 || !p99) {
        problems.push(`thresholds lack ${[p95 ? null : 'p(95)', p99 ? null : 'p(99)'].filter(Boolean).join(' and ')} on the Trend ${t.name}`);
      } else {
        notes.push(`${t.name} ${p95} ${p99}`);
      }
    }
    const errorsMetric = h.metrics.find((m) => m.name === 'errors');
    const errorRate = limit('errors', /^rate<=?(0(\.\d+)?|1)$/);
    if (!errorsMetric || errorsMetric.type !== 'rate') {
      problems.push('defines no Rate named "errors"');
    } else if (!errorRate) {
      problems.push('thresholds lack a rate limit (rate<x) on errors');
    } else {
      notes.push(`errors ${errorRate}`);
    }
    const checks = limit('checks', /^rate>=?(0(\.\d+)?|1)$/);
    if (!checks) {
      problems.push('thresholds lack a rate limit (rate>x) on checks');
    } else {
      notes.push(`checks ${checks}`);
    }
    for (const name of Object.keys(thresholds)) {
      if (name !== 'checks' && !h.metrics.some((m) => m.name === name) && !name.includes('{')) {
        problems.push(`a threshold names ${name}, a metric the script does not define`);
      }
    }
  }
  const execs = [];
  const scenarios = options && options.scenarios;
  if (scenarios && Object.keys(scenarios).length > 0) {
    for (const [name, s] of Object.entries(scenarios)) {
      execs.push([name, s.exec || 'default']);
    }
  } else {
    execs.push(['default', 'default']);
  }
  for (const [scenario, exec] of execs) {
    if (typeof mod[exec] !== 'function') {
      problems.push(`scenario ${scenario}: exec ${exec} is not an exported function`);
    }
  }
  if (problems.length > 0) {
    for (const p of problems) {
      console.log(`FAIL ${rel}: ${p}`);
    }
    process.exit(1);
  }
  // Dry run: one iteration of each scenario against the fake servers.
  for (const [scenario, exec] of execs) {
    const before = h.snapshot();
    try {
      await mod[exec]();
    } catch (err) {
      problems.push(`scenario ${scenario}: the iteration threw ${err && err.stack ? err.stack : err}`);
      continue;
    }
    await h.settle(3000);
    const open = h.sockets.filter((s) => s.readyState !== 3);
    if (open.length > 0) {
      problems.push(`scenario ${scenario}: ${open.length} WebSocket(s) still open after the iteration (k6 would keep the VU waiting)`);
    }
    const d = h.delta(before);
    if (d.checksFailed.length > 0) {
      problems.push(`scenario ${scenario}: failed checks: ${d.checksFailed.join(', ')}`);
    }
    if (d.errorSamples === 0) {
      problems.push(`scenario ${scenario}: nothing was added to the errors Rate`);
    } else if (d.errorsCounted > 0) {
      problems.push(`scenario ${scenario}: ${d.errorsCounted} of ${d.errorSamples} sessions counted as errors`);
    }
    for (const t of trends) {
      if (!d.trendSamples[t.name]) {
        problems.push(`scenario ${scenario}: no sample in the Trend ${t.name}`);
      }
    }
    if (h.invalidSamples.length > 0) {
      problems.push(`scenario ${scenario}: invalid metric samples: ${h.invalidSamples.join(', ')}`);
    }
    if (h.serverComplaints.length > 0) {
      problems.push(`scenario ${scenario}: the fake server refused: ${h.serverComplaints.join('; ')}`);
    }
    notes.push(`dry run ${scenario}: ${d.checksPassed} checks passed, ${d.errorSamples} session(s) without error, `
      + trends.map((t) => `${t.name} ${d.trendSamples[t.name] || 0} samples`).join(', '));
  }
  clearTimeout(watchdog);
  if (problems.length > 0) {
    for (const p of problems) {
      console.log(`FAIL ${rel}: ${p}`);
    }
    for (const w of h.warnings) {
      console.log(`     console.warn: ${w}`);
    }
    process.exit(1);
  }
  console.log(`ok   ${rel}: ${notes.join('; ')}`);
  process.exit(0);
}

/** The state the stand-ins share: metrics, checks, sockets, and the fake servers. */
function harness() {
  const h = {
    metrics: [],
    checksPassed: 0,
    checksFailed: [],
    sockets: [],
    warnings: [],
    invalidSamples: [],
    serverComplaints: [],
    accounts: new Map(),
    tokens: new Map(),
    nextId: 1000,
  };
  h.metric = (type, name) => {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_]+$/.test(name)) {
      throw new Error(`invalid metric name ${name}`);
    }
    const m = { type, name, samples: [] };
    h.metrics.push(m);
    return m;
  };
  h.snapshot = () => ({
    checksPassed: h.checksPassed,
    checksFailed: h.checksFailed.length,
    samples: new Map(h.metrics.map((m) => [m, m.samples.length])),
  });
  h.delta = (before) => {
    const after = (m) => m.samples.slice(before.samples.get(m) || 0);
    const errorsMetric = h.metrics.find((m) => m.name === 'errors');
    const errs = errorsMetric ? after(errorsMetric) : [];
    const trendSamples = {};
    for (const m of h.metrics.filter((x) => x.type === 'trend')) {
      trendSamples[m.name] = after(m).length;
    }
    return {
      checksPassed: h.checksPassed - before.checksPassed,
      checksFailed: h.checksFailed.slice(before.checksFailed),
      errorSamples: errs.length,
      errorsCounted: errs.filter((v) => v).length,
      trendSamples,
    };
  };
  h.settle = async (ms) => {
    const until = Date.now() + ms;
    while (Date.now() < until && h.sockets.some((s) => s.readyState !== 3)) {
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  h.http = (method, url, body, params) => fakeHttp(h, method, url, body, params);
  h.connect = (socket) => fakeServer(h, socket);
  return h;
}

// ---------------------------------------------------------------------------------------------------------
// Fake servers: just enough of the project's REST API, FAF lobby and CL Omega signaling for the scripts.

function response(status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    status,
    body: text,
    json(selector) {
      let value = JSON.parse(text);
      if (selector) {
        for (const part of String(selector).split('.')) {
          value = value == null ? undefined : value[part];
        }
      }
      return value;
    },
  };
}

function fakeHttp(h, method, url, body, params) {
  const u = new URL(url);
  const jsonBody = () => {
    const type = params && params.headers && (params.headers['Content-Type'] || params.headers['content-type']);
    if (typeof body !== 'string' || type !== 'application/json') {
      throw new Error(`${u.pathname} takes a JSON string body with Content-Type: application/json`);
    }
    return JSON.parse(body);
  };
  if (method === 'POST' && u.pathname === '/api/v0/register') {
    const a = jsonBody();
    if (!/^[A-Za-z0-9_-]{3,20}$/.test(a.username || '') || !a.password || a.password.length < 8 || !/@/.test(a.email || '')) {
      return response(400, 'Validation failed');
    }
    if ([...h.accounts.values()].some((x) => x.username === a.username || x.email === a.email)) {
      return response(409, 'username taken');
    }
    h.accounts.set(a.username, { username: a.username, email: a.email, password: a.password, id: h.nextId++ });
    return response(201, 'OK');
  }
  if (method === 'POST' && u.pathname === '/api/v0/login') {
    const l = jsonBody();
    const a = [...h.accounts.values()].find((x) => x.email === l.email && x.password === l.password);
    if (!a) {
      return response(401, 'invalid credentials');
    }
    const token = `01HZ${String(h.nextId++).padStart(22, '0')}`;
    h.tokens.set(token, a);
    return response(200, token);
  }
  if (method === 'POST' && u.pathname === '/oauth2/token') {
    if (!body || typeof body !== 'object' || body.grant_type !== 'password' || body.scope !== 'lobby') {
      return response(400, { error: 'invalid_request' });
    }
    const a = h.accounts.get(body.username);
    if (!a || a.password !== body.password) {
      return response(400, { error: 'invalid_grant' });
    }
    const token = `jwt.${a.id}.${h.nextId++}`;
    h.tokens.set(token, a);
    return response(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
  }
  return response(404, 'Not Found');
}

function fakeServer(h, socket) {
  const u = new URL(socket.url);
  if (u.pathname === '/lobby') {
    return fafServer(h, socket);
  }
  if (u.pathname === '/api/v0/signaling' && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(u.searchParams.get('ugi') || '')) {
    return omegaServer(h, socket, u.searchParams.get('ugi'));
  }
  return null;
}

const fafState = { online: new Map(), games: new Map(), nextUid: 1 };

function fafServer(h, socket) {
  const me = { socket, player: null, game: null, hosting: false };
  const send = (msg) => socket.deliver(`${JSON.stringify(msg)}\n`);
  const complain = (why) => {
    h.serverComplaints.push(`FAF: ${why}`);
    send({ command: 'notice', style: 'error', text: why });
  };
  return {
    closed() {
      if (me.player) {
        fafState.online.delete(me.player.id);
      }
    },
    receive(text) {
      if (!text.endsWith('\n')) {
        complain(`a message without the trailing newline: ${text}`);
      }
      for (const line of text.split('\n').filter(Boolean)) {
        let msg;
        try {
          msg = JSON.parse(line);
        } catch (e) {
          complain(`malformed JSON: ${line}`);
          continue;
        }
        const cmd = msg.command;
        if (msg.target === 'game') {
          if (!me.player || !me.game) {
            complain(`game message ${cmd} without a game`);
            continue;
          }
          if (!Array.isArray(msg.args)) {
            complain(`game message ${cmd} without args`);
          } else if (cmd === 'GameState' && msg.args[0] === 'Lobby') {
            const g = me.game;
            if (me.hosting) {
              send({ command: 'HostGame', target: 'game', args: ['scmp_009'] });
            } else {
              const host = fafState.online.get(g.host);
              send({ command: 'JoinGame', target: 'game', args: [host.player.login, host.player.id] });
              host.send({ command: 'ConnectToPeer', target: 'game', args: [me.player.login, me.player.id, true] });
            }
          } else if (cmd === 'IceMsg') {
            const receiver = fafState.online.get(msg.args[0]);
            if (!receiver || receiver.game !== me.game) {
              complain(`IceMsg to ${msg.args[0]}, not a player of the game`);
            } else {
              receiver.send({ command: 'IceMsg', target: 'game', args: [me.player.id, msg.args[1]] });
            }
          } else if (!['GameState', 'GameOption', 'PlayerOption', 'GameMods'].includes(cmd)) {
            complain(`unexpected game message ${cmd}`);
          }
          continue;
        }
        if (cmd === 'ping') {
          send({ command: 'pong' });
        } else if (cmd === 'pong') {
          // answer to a ping of ours
        } else if (cmd === 'auth') {
          const a = h.tokens.get(msg.token);
          if (!a || typeof msg.unique_id !== 'string') {
            send({ command: 'authentication_failed', text: 'bad token' });
            continue;
          }
          me.player = { id: a.id, login: a.username };
          fafState.online.set(a.id, { ...me, send, get game() { return me.game; } });
          send({ command: 'welcome', me: me.player, id: a.id, login: a.username, current_time: new Date().toISOString() });
          send({ command: 'player_info', players: [me.player] });
          send({ command: 'ping' });
          send({ command: 'social', autojoin: [], channels: [], friends: [], foes: [], power: 0 });
          send({ command: 'game_info', games: [...fafState.games.values()] });
        } else if (!me.player) {
          complain(`${cmd} before logging in`);
        } else if (cmd === 'game_host') {
          if (me.game || typeof msg.title !== 'string') {
            complain('game_host while in a game, or without a title');
            continue;
          }
          const g = { uid: fafState.nextUid++, title: msg.title, host: me.player.id, state: 'open' };
          fafState.games.set(g.uid, g);
          me.game = g;
          me.hosting = true;
          send({ command: 'game_launch', uid: g.uid, mod: 'faf', args: ['/numgames', 1] });
          for (const other of fafState.online.values()) {
            other.send({ command: 'game_info', uid: g.uid, title: g.title, state: 'open' });
          }
        } else if (cmd === 'game_join') {
          const g = fafState.games.get(msg.uid);
          if (!g || me.game) {
            complain(`game_join of ${msg.uid}, no such open game`);
            continue;
          }
          me.game = g;
          send({ command: 'game_launch', uid: g.uid, mod: 'faf', args: ['/numgames', 1] });
        } else {
          complain(`unexpected command ${cmd}`);
        }
      }
    },
  };
}

const omegaState = { clients: new Map(), lobbies: new Map() };

function omegaServer(h, socket, ugi) {
  const me = { id: null, user: null, lobby: null };
  const send = (msg) => socket.deliver(JSON.stringify(msg));
  const violation = (why) => {
    h.serverComplaints.push(`CL Omega: ${why}`);
    send({ opcode: 'VIOLATION', payload: why });
    socket.serverClose();
  };
  const reply = (opcode, payload, listener) => {
    const msg = { opcode };
    if (payload !== undefined) msg.payload = payload;
    if (listener) msg.listener = listener;
    send(msg);
  };
  return {
    closed() {
      if (me.id) {
        omegaState.clients.delete(me.id);
      }
    },
    receive(text) {
      let msg;
      try {
        msg = JSON.parse(text);
      } catch (e) {
        violation(`malformed JSON: ${text}`);
        return;
      }
      if (typeof msg.opcode !== 'string' || (msg.listener != null && typeof msg.listener !== 'string')
        || (msg.recipient != null && typeof msg.recipient !== 'string') || 'origin' in msg) {
        violation(`malformed envelope: ${text}`);
        return;
      }
      const l = msg.listener;
      const p = msg.payload;
      switch (msg.opcode) {
        case 'KEEPALIVE':
          reply('KEEPALIVE', undefined, l);
          return;
        case 'INIT': {
          if (typeof p !== 'string' || !/^[0-9A-Z]{26}$/.test(p)) {
            violation(`INIT payload ${JSON.stringify(p)} is not a token`);
            return;
          }
          const a = h.tokens.get(p);
          if (!a) {
            reply('TOKEN_INVALID', 'session not found', l);
            return;
          }
          me.id = `01HY${String(a.id).padStart(22, '0')}`;
          me.user = a.username;
          omegaState.clients.set(me.id, { me, send, ugi });
          reply('INIT_OK', { user: me.user, id: me.id, game: 'demo', developer: 'demo' }, l);
          return;
        }
        case 'CONFIG_HOST': {
          if (!me.id) { reply('CONFIG_REQUIRED', undefined, l); return; }
          if (!p || typeof p !== 'object' || typeof p.lobby_id !== 'string' || typeof p.allow_host_reclaim !== 'boolean'
            || typeof p.allow_peers_to_claim_host !== 'boolean' || !Number.isInteger(p.max_peers)
            || typeof p.password !== 'string') {
            violation(`CONFIG_HOST payload ${JSON.stringify(p)}`);
            return;
          }
          if (omegaState.lobbies.has(`${ugi}/${p.lobby_id}`)) { reply('LOBBY_EXISTS', undefined, l); return; }
          omegaState.lobbies.set(`${ugi}/${p.lobby_id}`, { host: me.id });
          me.lobby = p.lobby_id;
          reply('ACK_HOST', undefined, l);
          return;
        }
        case 'CONFIG_PEER': {
          if (!me.id) { reply('CONFIG_REQUIRED', undefined, l); return; }
          if (!p || typeof p !== 'object' || typeof p.lobby_id !== 'string') {
            violation(`CONFIG_PEER payload ${JSON.stringify(p)}`);
            return;
          }
          const lobby = omegaState.lobbies.get(`${ugi}/${p.lobby_id}`);
          if (!lobby) { reply('LOBBY_NOTFOUND', undefined, l); return; }
          const host = omegaState.clients.get(lobby.host);
          me.lobby = p.lobby_id;
          send({ opcode: 'ANTICIPATE', payload: { id: host.me.id, user: host.me.user } });
          host.send({ opcode: 'NEW_PEER', payload: { id: me.id, user: me.user } });
          reply('ACK_PEER', undefined, l);
          return;
        }
        case 'MAKE_OFFER':
        case 'MAKE_ANSWER':
        case 'ICE': {
          if (!me.id) { reply('CONFIG_REQUIRED', undefined, l); return; }
          const to = omegaState.clients.get(msg.recipient);
          if (!to || to.ugi !== ugi || to.me.lobby !== me.lobby) {
            h.serverComplaints.push(`CL Omega: ${msg.opcode} to ${msg.recipient}, not in the sender's lobby`);
            reply('PEER_INVALID', undefined, l);
            return;
          }
          to.send({ opcode: msg.opcode, payload: p, origin: { id: me.id, user: me.user } });
          reply('RELAY_OK', undefined, l);
          return;
        }
        default:
          reply('WARNING', `unknown opcode ${msg.opcode}`, l);
          h.serverComplaints.push(`CL Omega: unknown opcode ${msg.opcode}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Stand-ins for the k6 modules, written next to the copied scripts.

const STUBS = {
  'k6.js': `
const h = globalThis.__k6check;
export function check(value, sets) {
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    let ok;
    try { ok = typeof fn === 'function' ? !!fn(value) : !!fn; } catch (e) { ok = false; }
    if (ok) { h.checksPassed++; } else { h.checksFailed.push(name); all = false; }
  }
  return all;
}
export function sleep() {}
export function group(name, fn) { return fn(); }
export function fail(message) { throw new Error(message); }
export default { check, sleep, group, fail };
`,
  'k6-http.js': `
const h = globalThis.__k6check;
export function post(url, body, params) { return h.http('POST', url, body, params); }
export function get(url, params) { return h.http('GET', url, null, params); }
export function request(method, url, body, params) { return h.http(method, url, body, params); }
export default { post, get, request };
`,
  'k6-metrics.js': `
const h = globalThis.__k6check;
function make(type) {
  return class {
    constructor(name, isTime) {
      this.m = h.metric(type, name);
      this.name = name;
    }
    add(value) {
      const v = typeof value === 'boolean' ? Number(value) : value;
      if (typeof v !== 'number' || !Number.isFinite(v) || (type === 'trend' && v < 0)) {
        h.invalidSamples.push(this.name + '=' + String(value));
        return;
      }
      this.m.samples.push(v);
    }
  };
}
export const Trend = make('trend');
export const Counter = make('counter');
export const Rate = make('rate');
export const Gauge = make('gauge');
`,
  'k6-timers.js': `
const t = globalThis;
const _setTimeout = t.setTimeout, _clearTimeout = t.clearTimeout, _setInterval = t.setInterval, _clearInterval = t.clearInterval;
export { _setTimeout as setTimeout, _clearTimeout as clearTimeout, _setInterval as setInterval, _clearInterval as clearInterval };
`,
  'k6-websockets.js': `
const h = globalThis.__k6check;
export class WebSocket {
  constructor(url, protocols, params) {
    if (!/^wss?:\\/\\//.test(url)) { throw new SyntaxError('WebSocket URL must start with ws:// or wss://: ' + url); }
    this.url = url;
    this.readyState = 0;
    this.listeners = {};
    h.sockets.push(this);
    const server = h.connect(this);
    setTimeout(() => {
      if (!server) {
        this.readyState = 3;
        this.emit('error', { type: 'error', error: 'unexpected response: 404 for ' + url });
        this.emit('close', { type: 'close', code: 1006 });
        return;
      }
      this.server = server;
      this.readyState = 1;
      this.emit('open', { type: 'open' });
    }, 1);
  }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  emit(type, event) {
    const own = this['on' + type];
    if (typeof own === 'function') { own.call(this, event); }
    for (const fn of this.listeners[type] || []) { fn.call(this, event); }
  }
  send(data) {
    if (this.readyState !== 1) { throw new Error('InvalidStateError: send on a WebSocket that is not open (readyState ' + this.readyState + ')'); }
    if (typeof data !== 'string') { throw new TypeError('the scripts send text frames'); }
    setImmediate(() => { if (this.readyState === 1) { this.server.receive(data); } });
  }
  deliver(text) {
    setImmediate(() => { if (this.readyState === 1) { this.emit('message', { type: 'message', data: text }); } });
  }
  serverClose() {
    setImmediate(() => this.finish(1006));
  }
  finish(code) {
    if (this.readyState === 3) { return; }
    this.readyState = 3;
    if (this.server) { this.server.closed(); }
    this.emit('close', { type: 'close', code });
  }
  close(code) {
    if (this.readyState === 3 || this.readyState === 2) { return; }
    this.readyState = 2;
    setTimeout(() => this.finish(code || 1000), 1);
  }
  ping() {}
}
export default { WebSocket };
`,
};

if (process.argv[2] === '--run-one') {
  await runOne(process.argv[3], process.argv[4]);
} else {
  process.exit(main(process.argv.slice(2)));
}
