// The operator console in headless Chromium, driven by Playwright (ConsoleBrowserTest runs it with node).
// An administrator signs in and watches the live status; a second page logs a FAF player in over the lobby
// WebSocket and hosts a CL Omega lobby; the console must show both; the admin kicks the player from the
// console and the player's socket must get the kick; a non-admin's sign-in must show 403.
// Input (environment): BASE_URL, ADMIN_USER, ADMIN_PASSWORD, USER_NAME, USER_EMAIL, USER_PASSWORD, OMEGA_UGI,
// SCREENSHOT_DIR, CHROMIUM. Output: one JSON line on stdout, {ok: true, ...} or {ok: false, error}.
import { chromium } from 'playwright-core';

const env = process.env;
const base = env.BASE_URL;
const timeout = 30000;
const result = { ok: false };

// WebRTC between two pages on loopback: real local addresses in candidates, loopback allowed.
const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-features=WebRtcHideLocalIpsWithMdns', '--allow-loopback-in-peer-connection'],
});
try {
  const admin = await (await browser.newContext({ viewport: { width: 1400, height: 1100 } })).newPage();
  admin.setDefaultTimeout(timeout);
  const pageErrors = [];
  admin.on('pageerror', (e) => pageErrors.push(String(e)));

  // Sign-in, then the live stream with this node and the seeded queue.
  await admin.goto(base + '/console');
  await admin.fill('input[name=username]', env.ADMIN_USER);
  await admin.fill('input[name=password]', env.ADMIN_PASSWORD);
  await admin.click('#signin-form button');
  await admin.locator('[data-testid=stream-state]', { hasText: 'live' }).waitFor();
  await admin.locator('[data-testid=nodes] tbody tr[data-node]').first().waitFor();
  await admin.locator('[data-testid="queue-ladder1v1"]').waitFor();
  result.nodes = await admin.locator('[data-testid=nodes] tbody tr[data-node]').count();
  result.playersBefore = Number(await admin.textContent('[data-testid=players-online]'));

  // A FAF player logs in from another page, over the lobby WebSocket.
  const player = await (await browser.newContext()).newPage();
  player.setDefaultTimeout(timeout);
  await player.goto(base + '/');
  result.playerId = await player.evaluate(async ({ user, password }) => {
    const res = await fetch('/oauth2/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: user, password, scope: 'lobby' }),
    });
    const token = (await res.json()).access_token;
    window.fafInbox = [];
    window.fafClosed = false;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/lobby');
      ws.onopen = () => ws.send(JSON.stringify({ command: 'auth', token, unique_id: 'browser-test' }) + '\n');
      ws.onmessage = (ev) => {
        for (const line of String(ev.data).split('\n')) {
          if (!line.trim()) continue;
          const m = JSON.parse(line);
          window.fafInbox.push(m);
          if (m.command === 'welcome') resolve(m.id);
        }
      };
      ws.onclose = () => { window.fafClosed = true; };
      ws.onerror = () => reject(new Error('lobby socket failed'));
    });
  }, { user: env.USER_NAME, password: env.USER_PASSWORD });
  await admin.waitForFunction((before) =>
    Number(document.querySelector('[data-testid=players-online]').textContent) > before, result.playersBefore);
  result.playersAfterLogin = Number(await admin.textContent('[data-testid=players-online]'));

  // The same player hosts a CL Omega lobby; the console lists it with its host.
  const lobby = 'console-' + Date.now().toString(36);
  result.lobby = lobby;
  await player.evaluate(async ({ email, password, ugi, lobby }) => {
    const login = await fetch('/api/v0/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    const token = await login.text();
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/api/v0/signaling?ugi=' + ugi);
      window.omega = ws;
      ws.onopen = () => ws.send(JSON.stringify({ opcode: 'INIT', payload: token }));
      ws.onmessage = (ev) => {
        const p = JSON.parse(ev.data);
        if (p.opcode === 'INIT_OK') {
          ws.send(JSON.stringify({ opcode: 'CONFIG_HOST', payload: {
            lobby_id: lobby, allow_host_reclaim: false, allow_peers_to_claim_host: false, max_peers: 0, password: '' } }));
        } else if (p.opcode === 'ACK_HOST') {
          resolve();
        } else if (p.opcode === 'VIOLATION') {
          reject(new Error('VIOLATION ' + JSON.stringify(p.payload)));
        }
      };
      ws.onerror = () => reject(new Error('signaling socket failed'));
    });
  }, { email: env.USER_EMAIL, password: env.USER_PASSWORD, ugi: env.OMEGA_UGI, lobby });
  const row = admin.locator(`[data-testid=omega-lobbies] tr[data-lobby="${lobby}"]`);
  await row.waitFor();
  result.lobbyRow = (await row.innerText()).replace(/\s+/g, ' ').trim();
  await admin.screenshot({ path: env.SCREENSHOT_DIR + '/console-live.png', fullPage: true });

  // The admin kicks the player from the console: the FAF socket gets the kick notice and closes.
  await admin.fill('[data-testid=kick-player]', String(result.playerId));
  await admin.fill('form[data-action=kick] input[name=reason]', 'kicked from the console');
  await admin.click('[data-testid=kick-button]');
  await admin.locator('[data-testid=action-result][data-status="200"]').waitFor();
  await player.waitForFunction(() => window.fafClosed
    && window.fafInbox.some((m) => m.command === 'notice' && m.style === 'kick'));
  result.kickNotice = await player.evaluate(() => window.fafInbox.find((m) => m.command === 'notice' && m.style === 'kick'));
  await admin.screenshot({ path: env.SCREENSHOT_DIR + '/console-kick.png', fullPage: true });

  // A player who is not an administrator signs in: 403, and the console stays closed.
  const other = await (await browser.newContext()).newPage();
  other.setDefaultTimeout(timeout);
  await other.goto(base + '/console/');
  await other.fill('input[name=username]', env.USER_NAME);
  await other.fill('input[name=password]', env.USER_PASSWORD);
  await other.click('#signin-form button');
  const refused = other.locator('[data-testid=signin-error]', { hasText: '403' });
  await refused.waitFor();
  result.nonAdmin = await refused.textContent();
  result.nonAdminConsoleHidden = await other.locator('#console').isHidden();
  await other.screenshot({ path: env.SCREENSHOT_DIR + '/console-403.png' });

  result.pageErrors = pageErrors;
  result.ok = true;
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
