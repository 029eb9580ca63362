// Installable and offline: the web app manifest, the service worker that precaches the build
// (public/sw.js, its file list written by scripts/precache.mjs), starting from cold with no
// network, a new build offered and taken only when the user accepts; and the storage: the
// quota in Settings, persistence asked for at the first import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, newContext, newProfileContext, openApp, providerMocks, DIST, FIXTURES, ROOT } from './harness.mjs';
import { serve } from '../../scripts/serve.mjs';
import { readBuild, writeServiceWorker, WORKER } from '../../scripts/precache.mjs';

let browser;
const sites = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  for (const site of sites) {
    assert.deepEqual(site.external, [], 'no request left the page');
    await site.stop();
  }
  await browser.close();
});

/** Serves `dir` on a port of its own; `stop()` ends the server and every open connection. */
async function site(dir) {
  const server = await serve(dir, 0);
  const s = { base: `http://127.0.0.1:${server.address().port}`, browser, external: [] };
  let stopped = false;
  s.stop = async () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  };
  sites.push(s);
  return s;
}

/** A context in which Folio's service worker runs (the harness blocks it by default). */
const withWorker = (s) => newContext(s, providerMocks(), { serviceWorkers: 'allow' });

/**
 * Waits until the service worker has cached the build, then reloads: a page the worker did
 * not control from its start (the first visit) is never taken over; the next one is.
 */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => null));
  await page.reload();
  await page.waitForSelector('main h1', { timeout: 30000 });
  assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the page is controlled');
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

const settled = (page) =>
  page.waitForFunction(() => !document.querySelector('#price-status')?.textContent.includes('updating'), null, { timeout: 30000 });

/** Every file of a build folder, as paths relative to it, sorted. */
const filesOf = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

test('the service worker lists every file of the build but itself, and caches each of them', async () => {
  const build = readBuild(DIST);
  assert.match(build.version, /^[0-9a-f]{16}$/);
  const listed = build.files.map((f) => f.path).sort();
  assert.deepEqual(listed, filesOf(DIST).filter((f) => f !== WORKER));
  // Each module of the build is there: both page modules (hashed), the workers, the stylesheet.
  for (const pattern of [/^index\.html$/, /^first_page-[0-9a-f]+_bg\.wasm$/, /^folio-[0-9a-f]+_bg\.wasm$/, /^price_worker_bg\.wasm$/,
    /^risk_worker_loader\.js$/, /^import_worker_bg\.wasm$/, /^main-[0-9a-f]+\.css$/, /^manifest\.webmanifest$/, /^sw_register\.js$/]) {
    assert.ok(listed.some((f) => pattern.test(f)), `${pattern} in ${listed.join(', ')}`);
  }
  const s = await site(DIST);
  const context = await withWorker(s);
  const page = await openApp(context, s);
  await controlled(page);
  assert.deepEqual(await cacheNames(page), [`folio-${build.version}`]);
  const cached = await page.evaluate(async (name) => {
    const cache = await caches.open(name);
    return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  }, `folio-${build.version}`);
  assert.deepEqual(cached, listed.map((f) => `/${f}`).sort());
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('with no network and no server, a new page starts from cold and shows the holdings on the cached prices', async () => {
  const s = await site(DIST);
  const context = await withWorker(s);
  const page = await openApp(context, s);
  await controlled(page);
  await page.waitForSelector('#holdings-table tbody tr');
  await settled(page);
  const total = await page.locator('#grand-total').textContent();
  const rows = await page.locator('#holdings-table tbody tr').count();
  assert.match(total, /\d/);

  // Nothing answers any more: the server is gone, the browser is offline, and so are the
  // price providers (the test's routes would otherwise still answer them).
  await s.stop();
  await context.setOffline(true);
  for (const provider of Object.keys(context.mocks.mode)) context.mocks.mode[provider] = 'offline';
  const cold = await context.newPage();
  cold.errors = [];
  cold.on('pageerror', (e) => cold.errors.push(String(e)));
  const answered = [];
  cold.on('response', (r) => r.url().startsWith(s.base) && answered.push([new URL(r.url()).pathname, r.fromServiceWorker()]));
  await cold.goto(`${s.base}/`);
  await cold.waitForSelector('#holdings-table tbody tr', { timeout: 30000 });
  await settled(cold);
  assert.equal(await cold.locator('#grand-total').textContent(), total);
  assert.equal(await cold.locator('#holdings-table tbody tr').count(), rows);
  // Every file the page loaded came from the worker's cache.
  assert.ok(answered.length >= 3, JSON.stringify(answered));
  assert.deepEqual(answered.filter(([, worker]) => !worker), [], 'files not served by the service worker');

  // Another address starts the whole app's module, from the cache too.
  await cold.goto(`${s.base}/dashboard`);
  await cold.waitForSelector('main h1:text-is("Dashboard")', { timeout: 30000 });
  assert.deepEqual(cold.errors, []);
  await context.close();
});

test('a new build is found, offered in the shell, and taken only when the user accepts: never a mix of two builds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'folio-pwa-'));
  try {
    cpSync(DIST, dir, { recursive: true });
    const s = await site(dir);
    const context = await withWorker(s);
    const page = await openApp(context, s);
    await controlled(page);
    const first = readBuild(dir).version;
    assert.deepEqual(await cacheNames(page), [`folio-${first}`]);
    assert.equal(await page.locator('#update-notice').count(), 0, 'no offer on the first visit');

    // The next build, deployed while the page is open: index.html changes, and the build's
    // last step (the same as Trunk's post_build hook) writes the worker again.
    const index = join(dir, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', '<head>\n    <meta name="folio-build" content="next">'));
    const second = writeServiceWorker({ dir, template: join(ROOT, 'public', 'sw.js') });
    assert.notEqual(second, first);
    const marker = (p) => p.locator('meta[name="folio-build"]').count();

    // The next visit finds the new worker, which caches the new build beside the old one and waits.
    await page.reload();
    await page.waitForSelector('#update-notice', { timeout: 60000 });
    assert.equal(await page.locator('#update-notice').textContent(), 'A new version of Folio is ready.Reload to update');
    assert.deepEqual((await cacheNames(page)).sort(), [`folio-${first}`, `folio-${second}`].sort());
    // Until the user accepts, pages get the old build whole, though the server has the new one.
    assert.equal(await marker(page), 0);
    assert.equal(await page.evaluate(async () => (await (await fetch('/index.html')).text()).includes('folio-build')), false);
    const other = await context.newPage();
    await other.goto(`${s.base}/settings`);
    await other.waitForSelector('main h1');
    assert.equal(await marker(other), 0);

    // Accepted: the new worker takes over, the old build's cache goes, and every open page
    // reloads into the new build.
    await page.click('#update-reload');
    await page.locator('meta[name="folio-build"]').waitFor({ state: 'attached', timeout: 30000 });
    await other.locator('meta[name="folio-build"]').waitFor({ state: 'attached', timeout: 30000 });
    await page.waitForSelector('main h1');
    assert.deepEqual(await cacheNames(page), [`folio-${second}`]);
    assert.equal(await page.locator('#update-notice').count(), 0);
    assert.equal(await page.evaluate(async () => (await (await fetch('/index.html')).text()).includes('folio-build')), true);
    assert.deepEqual(page.errors, []);
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The value of a custom property in style/main.css's first (light) :root block. */
function token(name) {
  const css = readFileSync(join(ROOT, 'style', 'main.css'), 'utf8');
  const root = css.match(/:root \{([\s\S]*?)\}/)[1];
  return root.match(new RegExp(`--${name}: (#[0-9a-f]{3,6})`))[1];
}

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file) {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', file);
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test('the app is installable in Chromium: a standalone manifest, icons of 192 and 512 px, the design\'s colours', async () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.name, 'Folio');
  assert.equal(manifest.short_name, 'Folio');
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.theme_color, token('accent'));
  assert.equal(manifest.background_color, token('bg'));
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  assert.match(html, /<link rel="manifest" href="\/manifest\.webmanifest">/);
  assert.equal(html.match(/<meta name="theme-color" content="([^"]+)">/)?.[1], token('accent'));
  const png = manifest.icons.filter((i) => i.type === 'image/png');
  for (const size of ['192x192', '512x512']) {
    const icon = png.find((i) => i.sizes === size && i.purpose === 'any');
    assert.ok(icon, `a ${size} PNG icon`);
    assert.equal(pngSize(join(DIST, icon.src)), size, icon.src);
  }
  for (const icon of manifest.icons) assert.ok(readdirSync(DIST).includes(icon.src.slice(1)), icon.src);

  // Chromium's own verdict, on the page served with its worker, in a profile of its own
  // (Chromium installs no app in an incognito context, which the other tests use).
  const s = await site(DIST);
  const profile = mkdtempSync(join(tmpdir(), 'folio-profile-'));
  const context = await newProfileContext(s, profile, providerMocks(), { serviceWorkers: 'allow' });
  try {
    const page = await openApp(context, s);
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const parsed = await cdp.send('Page.getAppManifest');
    assert.deepEqual(parsed.errors, []);
    assert.equal(new URL(parsed.url).pathname, '/manifest.webmanifest');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('Settings shows the space Folio\'s data takes and what is left, in units, also beyond 4 GB', async () => {
  const s = await site(DIST);
  const context = await newContext(s);
  // A browser that allows 987,654,321,000 bytes, of which 12,345,678 are used.
  await context.addInitScript(() => {
    StorageManager.prototype.estimate = async () => ({ usage: 12345678, quota: 987654321000 });
  });
  const page = await openApp(context, s, '/settings');
  const use = page.locator('#storage-use');
  await page.waitForFunction(() => document.querySelector('#storage-use')?.textContent.includes('left'));
  // 12,345,678 B = 12.3 MB; 987,654,321,000 B = 987.65 GB; left 987,641,975,322 B = 987.64 GB.
  assert.equal(await use.textContent(), "Folio's data takes 12.3 MB in this browser, of 987.65 GB it may use (987.64 GB left).");
  assert.deepEqual(page.errors, []);
  await context.close();

  // This browser's own figures, shown in the same units.
  const real = await newContext(s);
  const settings = await openApp(real, s, '/settings');
  await settings.waitForFunction(() => document.querySelector('#storage-use')?.textContent.includes('left'));
  const { quota } = await settings.evaluate(() => navigator.storage.estimate());
  const text = await settings.locator('#storage-use').textContent();
  assert.match(text, /^Folio's data takes [\d.,]+ (B|KB|MB|GB) in this browser, of [\d.,]+ (KB|MB|GB|TB) it may use \([\d.,]+ (KB|MB|GB|TB) left\)\.$/);
  if (quota >= 1e9 && quota < 1e12) assert.ok(text.includes(`of ${(quota / 1e9).toFixed(2)} GB`), `${quota} B in ${text}`);
  await real.close();
});

test('persistent storage is asked for at the first import, not when the app starts', async () => {
  const s = await site(DIST);
  const context = await newContext(s);
  await context.addInitScript(() => {
    window.__persistCalls = 0;
    const persist = StorageManager.prototype.persist;
    StorageManager.prototype.persist = function () {
      window.__persistCalls += 1;
      return persist.call(this);
    };
  });
  const page = await openApp(context, s, '/settings');
  // Settings reports the answer once the start has read it: nothing was asked.
  await page.waitForFunction(() => !document.querySelector('#persistence')?.textContent.includes('does not say'));
  assert.equal(await page.evaluate(() => window.__persistCalls), 0, 'persist() called at start');
  await page.fill('#new-profile-name', 'Mine');
  await page.click('#create-profile');
  await page.waitForFunction(() => {
    const select = document.querySelector('#profile-select');
    return select?.options[select.selectedIndex]?.textContent === 'Mine';
  });
  assert.equal(await page.evaluate(() => window.__persistCalls), 0, 'persist() called when a profile is created');

  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.waitForSelector('main h1:text-is("Import")');
  await page.setInputFiles('#file-input', join(FIXTURES, 'ct_balance_by_exchange.csv'));
  await page.locator('article[data-file="ct_balance_by_exchange.csv"] .counts').waitFor();
  assert.equal(await page.evaluate(() => window.__persistCalls), 0, 'persist() called before the commit');
  await page.click('#commit-import');
  await page.waitForSelector('#import-done');
  await page.waitForFunction(() => window.__persistCalls > 0);
  assert.equal(await page.evaluate(() => window.__persistCalls), 1);
  assert.deepEqual(page.errors, []);
  await context.close();
});
