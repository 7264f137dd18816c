// The CL Omega demo page in two headless Chromium pages, driven by Playwright (DemoBrowserTest runs it with
// node): each registers a fresh account through the page, connects to the demo game, one hosts a lobby, the
// other joins it from the lobby list, the data channel between them opens through the server's signaling,
// and a chat line typed on each page appears on the other.
// Input (environment): BASE_URL, PREFIX (unique name prefix), SCREENSHOT_DIR, CHROMIUM.
// Output: one JSON line on stdout, {ok: true, ...} or {ok: false, error, logs}.
import { chromium } from 'playwright-core';

const env = process.env;
const base = env.BASE_URL;
const timeout = 60000;
const result = { ok: false, logs: {} };
const pages = {};

async function open(name) {
  const page = await (await browser.newContext({ viewport: { width: 1000, height: 1100 } })).newPage();
  page.setDefaultTimeout(timeout);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  pages[name] = page;
  await page.goto(base + '/demo/');
  const user = (env.PREFIX + name).slice(0, 20);
  await page.fill('[data-testid=reg-username]', user);
  await page.fill('[data-testid=reg-email]', user.toLowerCase() + '@example.com');
  await page.fill('[data-testid=reg-password]', 'password-' + user);
  await page.click('[data-testid=register]');
  await page.click('[data-testid=connect]');
  await page.locator('[data-testid=me]', { hasText: user }).waitFor();
  return { page, user };
}

// WebRTC between two pages on loopback: real local addresses in candidates, loopback allowed.
const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-features=WebRtcHideLocalIpsWithMdns', '--allow-loopback-in-peer-connection'],
});
try {
  const host = await open('h');
  const peer = await open('p');
  const lobby = 'demo-' + Date.now().toString(36);
  result.lobby = lobby;

  await host.page.fill('[data-testid=host-lobby]', lobby);
  await host.page.click('[data-testid=host]');
  await host.page.locator('[data-testid=role]', { hasText: 'host' }).waitFor();

  // The lobby is public: the peer's list has it (NEW_HOST refreshes the list); join it from there.
  const join = peer.page.locator(`[data-testid=lobbies] button[data-lobby="${lobby}"]`);
  await join.waitFor();
  await join.click();
  await peer.page.locator('[data-testid=role]', { hasText: 'peer' }).waitFor();

  // The mesh forms: each page shows the other with an open data channel.
  await host.page.locator(`[data-testid=peers] li[data-peer="${peer.user}"][data-state=open]`).waitFor();
  await peer.page.locator(`[data-testid=peers] li[data-peer="${host.user}"][data-state=open]`).waitFor();

  const fromPeer = 'hello host from ' + peer.user + ' ✓';
  const fromHost = 'hello peer from ' + host.user + ' ✓';
  await peer.page.fill('[data-testid=chat-input]', fromPeer);
  await peer.page.click('[data-testid=chat-send]');
  const atHost = host.page.locator(`[data-testid=chat] .line[data-from="${peer.user}"]`);
  await atHost.waitFor();
  result.hostReceived = await atHost.textContent();
  await host.page.fill('[data-testid=chat-input]', fromHost);
  await host.page.click('[data-testid=chat-send]');
  const atPeer = peer.page.locator(`[data-testid=chat] .line[data-from="${host.user}"]`);
  await atPeer.waitFor();
  result.peerReceived = await atPeer.textContent();
  result.expected = { hostReceived: peer.user + ': ' + fromPeer, peerReceived: host.user + ': ' + fromHost };
  await host.page.screenshot({ path: env.SCREENSHOT_DIR + '/demo-host.png', fullPage: true });
  await peer.page.screenshot({ path: env.SCREENSHOT_DIR + '/demo-peer.png', fullPage: true });
  result.pageErrors = [...host.page.errors, ...peer.page.errors];
  result.ok = true;
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  for (const [name, page] of Object.entries(pages)) {
    try {
      result.logs[name] = await page.locator('[data-testid=log]').innerText({ timeout: 2000 });
    } catch (e) {
      result.logs[name] = '(log unavailable)';
    }
  }
  await browser.close();
}
console.log(JSON.stringify(result));
