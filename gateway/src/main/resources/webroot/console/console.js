// The operator console: signs in through /oauth2/token, then follows /api/admin/status/stream (server-sent
// events read with fetch, so the token travels in the Authorization header) and calls the admin API.
'use strict';

const state = { token: sessionStorage.getItem('skirmish.token'), abort: null };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'onclick') e.addEventListener('click', v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const $ = (id) => document.getElementById(id);

function duration(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  if (s < 86400) return (s / 3600).toFixed(1) + ' h';
  return (s / 86400).toFixed(1) + ' d';
}

const mb = (b) => (b / 1048576).toFixed(0) + ' MB';
const num = (n) => (n === undefined || n === null) ? '–' : (Math.round(n * 10) / 10).toString();

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: Object.assign({ Authorization: 'Bearer ' + state.token },
      body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = null;
  try { json = await res.json(); } catch (e) { /* no body */ }
  return { status: res.status, body: json };
}

// ---- sign-in -------------------------------------------------------------------------------------------

async function signIn(username, password) {
  $('signin-error').textContent = '';
  const form = new URLSearchParams({ grant_type: 'password', username, password, scope: 'lobby' });
  const res = await fetch('/oauth2/token', { method: 'POST', body: form });
  if (res.status !== 200) {
    $('signin-error').textContent = 'Sign-in failed (' + res.status + ')';
    return;
  }
  state.token = (await res.json()).access_token;
  await enter();
}

async function enter() {
  const me = await api('GET', '/api/admin/me');
  if (me.status !== 200) {
    const why = me.status === 403 ? 'not an administrator' : 'token refused';
    $('signin-error').textContent = me.status + ' ' + why + (me.body && me.body.error_description ? ': ' + me.body.error_description : '');
    state.token = null;
    sessionStorage.removeItem('skirmish.token');
    showSignIn();
    return;
  }
  sessionStorage.setItem('skirmish.token', state.token);
  $('who').textContent = 'Signed in as ' + me.body.login + ' (' + me.body.id + ')';
  $('signin').hidden = true;
  $('console').hidden = false;
  $('signout').hidden = false;
  follow();
}

function showSignIn() {
  $('signin').hidden = false;
  $('console').hidden = true;
  $('signout').hidden = true;
  $('who').textContent = '';
}

$('signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  signIn(f.get('username'), f.get('password')).catch((e) => { $('signin-error').textContent = String(e); });
});

$('signout').addEventListener('click', () => {
  if (state.abort) state.abort.abort();
  state.token = null;
  sessionStorage.removeItem('skirmish.token');
  showSignIn();
});

// ---- the live stream -----------------------------------------------------------------------------------

async function follow() {
  if (state.abort) state.abort.abort();
  const abort = new AbortController();
  state.abort = abort;
  try {
    const res = await fetch('/api/admin/status/stream', {
      headers: { Authorization: 'Bearer ' + state.token }, signal: abort.signal,
    });
    if (res.status !== 200) {
      $('stream-state').textContent = 'stream refused: ' + res.status;
      return;
    }
    $('stream-state').textContent = 'live';
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split('\n')) {
          if (line.startsWith('data: ')) render(JSON.parse(line.slice(6)));
        }
      }
    }
  } catch (e) {
    if (abort.signal.aborted) return;
  }
  if (!abort.signal.aborted && state.token) {
    $('stream-state').textContent = 'reconnecting…';
    setTimeout(follow, 2000);
  }
}

// ---- rendering -----------------------------------------------------------------------------------------

function sparkline(svg, values) {
  svg.replaceChildren();
  if (values.length < 2) return;
  const max = Math.max(1, ...values);
  const step = 300 / (values.length - 1);
  const points = values.map((v, i) => (i * step).toFixed(1) + ',' + (38 - (v / max) * 36).toFixed(1)).join(' ');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points);
  svg.append(line);
}

function fill(tbody, rows, empty, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: columns, class: 'muted' }, empty))]));
}

function render(s) {
  const players = s.players || {};
  $('players-online').textContent = String(players.online || 0);
  $('players-split').textContent = 'FAF ' + (players.faf || 0) + ' · CL Omega ' + (players.omega || 0);
  const r = s.rates || {};
  $('rate-in').textContent = num((r.faf_in || 0) + (r.omega_in || 0));
  $('rate-in-split').textContent = 'FAF ' + num(r.faf_in) + ' · CL Omega ' + num(r.omega_in);
  $('rate-relays').textContent = num((r.faf_relays || 0) + (r.omega_relays || 0));
  $('rate-relays-split').textContent = 'IceMsg ' + num(r.faf_relays) + ' · SDP/ICE ' + num(r.omega_relays);
  const h = s.history || [];
  sparkline($('spark-players'), h.map((p) => p.players || 0));
  sparkline($('spark-in'), h.map((p) => (p.faf_in || 0) + (p.omega_in || 0)));
  sparkline($('spark-relays'), h.map((p) => (p.faf_relays || 0) + (p.omega_relays || 0)));
  $('updated').textContent = 'updated ' + new Date(s.at).toLocaleTimeString() + ' by node ' + s.node;

  const byNode = {};
  for (const b of players.by_node || []) byNode[b.node] = b;
  fill($('nodes').tBodies[0], (s.nodes || []).map((n) => el('tr', { 'data-node': n.node },
    el('td', {}, el('code', {}, n.node), n.self ? ' (this)' : ''),
    el('td', {}, (n.roles || []).map((x) => el('span', { class: 'tag' }, x))),
    el('td', {}, duration(n.uptime_ms || 0)),
    el('td', {}, mb(n.heap_used || 0) + ' / ' + mb(n.heap_max || 0)),
    el('td', {}, n.cpu >= 0 ? (n.cpu * 100).toFixed(0) + ' %' : '–'),
    el('td', {}, byNode[n.node] ? byNode[n.node].faf : '–'),
    el('td', {}, byNode[n.node] ? byNode[n.node].omega : '–'),
    el('td', {}, num(((n.rates || {}).faf_in || 0) + ((n.rates || {}).omega_in || 0))),
    el('td', {}, num(((n.rates || {}).faf_relays || 0) + ((n.rates || {}).omega_relays || 0))))), 'no node heard yet', 9);

  fill($('faf-games').tBodies[0], (s.faf_games || []).map((g) => el('tr', { 'data-game': g.uid },
    el('td', {}, g.uid), el('td', {}, g.title), el('td', {}, g.state), el('td', {}, g.host), el('td', {}, g.map),
    el('td', {}, (g.num_players || 0) + ' / ' + (g.max_players || 0) + ' ',
      Object.values(g.teams || {}).map((team) => el('span', { class: 'tag' }, team.join(', ')))),
    el('td', {}, el('button', { class: 'danger', onclick: () => act('POST', '/api/admin/faf/games/' + g.uid + '/close') }, 'Close')))),
  'no open game', 7);

  $('queues').replaceChildren(...(s.queues || []).map((q) => el('div', { class: 'queue', 'data-testid': 'queue-' + q.name },
    el('b', {}, q.name), ' ',
    el('span', { 'data-field': 'searching' }, String(q.searching || 0)), ' searching',
    q.searches !== undefined ? ' in ' + q.searches + ' search(es)' : '',
    q.wait_p50_s !== undefined && q.wait_p50_s !== null
      ? ' · wait p50 ' + num(q.wait_p50_s) + ' s, p90 ' + num(q.wait_p90_s) + ' s, max ' + num(q.wait_max_s) + ' s' : '',
    q.last_pop ? ' · last pop ' + new Date(q.last_pop).toLocaleTimeString() : '',
    (q.pops || []).length ? ' · pops (players): ' + q.pops.slice(-5).map((p) => p.players).join(', ') : '',
    q.next_pop ? ' · next pop ' + new Date(q.next_pop).toLocaleTimeString() : '')));

  const parties = s.parties || {};
  $('parties').replaceChildren(el('div', {}, (parties.parties || 0) + ' part' + (parties.parties === 1 ? 'y' : 'ies')
    + ', ' + (parties.members || 0) + ' members'),
  ...(parties.list || []).map((p) => el('div', { class: 'muted' }, 'owner ' + p.owner + ': ' + p.members.join(', ')
    + (p.invites ? ' (' + p.invites + ' invites)' : ''))));

  const omega = s.omega || {};
  const games = omega.games || [];
  $('omega-summary').textContent = games.length + ' game(s), ' + (omega.lobbies || 0) + ' lobbies, '
    + (omega.peers || 0) + ' peers in lobbies';
  const rows = [];
  for (const g of games) {
    const name = el('td', {}, g.name || '(unregistered)', el('br'), el('code', {}, g.ugi),
      g.origins && g.origins.length ? el('div', { class: 'muted' }, g.origins.join(' ')) : null);
    if (!(g.lobbies || []).length) {
      rows.push(el('tr', { 'data-ugi': g.ugi }, name, el('td', { colspan: 5, class: 'muted' }, 'no lobby')));
    }
    for (const l of g.lobbies || []) {
      rows.push(el('tr', { 'data-ugi': g.ugi, 'data-lobby': l.name }, name.cloneNode(true), el('td', {}, l.name),
        el('td', {}, l.host ? l.host.user : '(none)'),
        el('td', {}, (l.peers || []).map((p) => el('span', { class: 'tag' }, p.user))),
        el('td', { class: 'muted' }, (l.public ? 'public' : 'password') + (l.locked ? ', locked' : '')
          + ', max ' + (l.max_peers || '∞')),
        el('td', {}, el('button', { class: 'danger', onclick: () => act('POST',
          '/api/admin/omega/games/' + g.ugi + '/lobbies/' + encodeURIComponent(l.name) + '/close') }, 'Close'))));
    }
  }
  fill($('omega-lobbies').tBodies[0], rows, 'no CL Omega game', 6);
}

// ---- actions -------------------------------------------------------------------------------------------

async function act(method, path, body) {
  const out = $('action-result');
  out.className = '';
  out.textContent = method + ' ' + path + ' …';
  const res = await api(method, path, body);
  out.className = res.status >= 400 ? 'error' : '';
  out.textContent = res.status + ' ' + JSON.stringify(res.body);
  out.dataset.status = String(res.status);
  return res;
}

const origins = (text) => (text || '').split(',').map((o) => o.trim()).filter((o) => o);

for (const form of document.querySelectorAll('form[data-action]')) {
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const player = encodeURIComponent((f.get('player') || '').trim());
    switch (form.dataset.action) {
      case 'notice': act('POST', '/api/admin/notices', { text: f.get('text') }); break;
      case 'kick': act('POST', '/api/admin/players/' + player + '/kick', f.get('reason') ? { reason: f.get('reason') } : {}); break;
      case 'ban': act('POST', '/api/admin/players/' + player + '/bans',
        { duration_seconds: Math.round(Number(f.get('hours')) * 3600), reason: f.get('reason') }); break;
      case 'register': act('POST', '/api/admin/omega/games', { name: f.get('name'), origins: origins(f.get('origins')) }); break;
      case 'edit': {
        const body = {};
        if (f.get('name')) body.name = f.get('name');
        if (f.get('origins')) body.origins = origins(f.get('origins'));
        act('PATCH', '/api/admin/omega/games/' + encodeURIComponent(f.get('ugi').trim()), body);
        break;
      }
      default: break;
    }
  });
}

if (state.token) enter();
