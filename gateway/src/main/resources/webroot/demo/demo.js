// The demo's page logic: account (register or sign in through the public REST endpoints), game, lobby, mesh
// and chat. Everything goes through the public CL Omega protocol (omega-client.js).
'use strict';

const $ = (id) => document.getElementById(id);
const page = { token: null, mesh: null };

function log(line) {
  $('log').append(Object.assign(document.createElement('li'), { textContent: new Date().toLocaleTimeString() + ' ' + line }));
  $('log').scrollTop = $('log').scrollHeight;
}

async function signIn(email, password) {
  const res = await fetch('/api/v0/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error('sign-in failed (' + res.status + '): ' + await res.text());
  page.token = (await res.text()).trim();
  $('account').hidden = true;
  $('game').hidden = false;
  log('signed in as ' + email);
  listMyGames();
}

// Games of the developers this account belongs to, beside the demo game.
async function listMyGames() {
  const res = await fetch('/api/v0/games', { headers: { Authorization: 'Bearer ' + page.token } });
  if (res.status !== 200) return;
  for (const g of await res.json()) {
    $('ugi').append(Object.assign(document.createElement('option'), { value: g.ugi, textContent: g.name + ' (' + g.ugi + ')' }));
  }
}

$('register').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  $('account-error').textContent = '';
  try {
    const res = await fetch('/api/v0/register', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: f.get('username'), email: f.get('email'), password: f.get('password') }),
    });
    if (res.status !== 201) throw new Error('registration failed (' + res.status + '): ' + await res.text());
    await signIn(f.get('email'), f.get('password'));
  } catch (e) {
    $('account-error').textContent = e.message;
  }
});

$('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  $('account-error').textContent = '';
  signIn(f.get('email'), f.get('password')).catch((e) => { $('account-error').textContent = e.message; });
});

function renderPeers(mesh) {
  $('mesh').hidden = !mesh.lobby;
  $('lobby').hidden = !!mesh.lobby;
  $('lobby-name').textContent = mesh.lobby || '';
  $('role').textContent = mesh.role || '';
  $('peers').replaceChildren(...[...mesh.links.values()].map((l) => {
    const li = document.createElement('li');
    li.dataset.peer = l.remote.user;
    li.dataset.state = l.state;
    li.append(l.remote.user + ' — ', Object.assign(document.createElement('span'), {
      textContent: l.state, className: 'state-' + l.state }));
    return li;
  }));
}

function chatLine(who, text, mine) {
  const div = Object.assign(document.createElement('div'), { className: 'line' + (mine ? ' mine' : '') });
  div.dataset.from = who;
  div.textContent = who + ': ' + text;
  $('chat').append(div);
}

async function refreshLobbies() {
  if (!page.mesh || page.mesh.lobby) return;
  const names = await page.mesh.lobbies();
  $('lobbies').replaceChildren(...names.map((name) => {
    const li = document.createElement('li');
    const join = Object.assign(document.createElement('button'), { textContent: 'Join ' + name, type: 'button' });
    join.dataset.lobby = name;
    join.addEventListener('click', () => page.mesh.join(name).catch((e) => log('join failed: ' + e.message)));
    li.append(join);
    return li;
  }));
}

$('connect').addEventListener('click', async () => {
  const ugi = $('ugi-other').value.trim() || $('ugi').value;
  const url = location.origin.replace(/^http/, 'ws') + '/api/v0/signaling?ugi=' + encodeURIComponent(ugi);
  page.mesh = new OmegaMesh({
    onlog: log,
    onpeers: renderPeers,
    onmessage: (remote, text) => chatLine(remote.user, text, false),
    onlobbies: () => refreshLobbies().catch(() => {}),
    onclose: (ev) => log('signaling closed (' + ev.code + ')'),
  });
  try {
    const me = await page.mesh.connect(url, page.token);
    $('me').textContent = me.user;
    $('game').hidden = true;
    $('lobby').hidden = false;
    await refreshLobbies();
  } catch (e) {
    log('could not connect: ' + e.message);
  }
});

$('refresh').addEventListener('click', () => refreshLobbies().catch((e) => log(e.message)));

$('host').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const lobby = new FormData(ev.target).get('lobby');
  page.mesh.host(lobby).catch((e) => log('host failed: ' + e.message));
});

$('say').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = ev.target.elements.text;
  const sent = page.mesh.say(input.value);
  chatLine(page.mesh.me.user, input.value + (sent ? '' : ' (nobody connected yet)'), true);
  input.value = '';
});
