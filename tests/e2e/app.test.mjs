// End-to-end: the release build in Chromium, real IndexedDB, real files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { start, newContext, openApp, FIXTURES } from './harness.mjs';

let env;
let context;
let page;

before(async () => {
  env = await start();
  context = await newContext(env);
  page = await openApp(context, env);
});

after(async () => {
  assert.deepEqual(env.external, [], 'no request left the page');
  assert.deepEqual(page.errors, [], 'no uncaught errors in the page');
  // Chromium logs every non-2xx answer; the demo's VIRTUAL is unknown to the Coinbase fixture (404).
  const unexpected = page.consoleErrors.filter((e) => !e.startsWith('Failed to load resource: the server responded with a status of 404'));
  assert.deepEqual(unexpected, [], 'no console errors');
  await env.close();
});

const total = () => page.locator('#grand-total').textContent();
const fileTotal = () => page.locator('#file-total').textContent();
const fixture = (name) => join(FIXTURES, name);
const currentProfile = () => page.$eval('#profile-select', (s) => s.options[s.selectedIndex]?.textContent);
const waitForProfile = (name) =>
  page.waitForFunction((n) => {
    const s = document.querySelector('#profile-select');
    return s?.options[s.selectedIndex]?.textContent === n;
  }, name);

async function gotoNav(name) {
  await page.getByRole('link', { name, exact: true }).click();
  await page.waitForSelector(`main h1:text-is("${name}")`);
}

async function importFiles(files) {
  await gotoNav('Import');
  await page.setInputFiles('#file-input', files.map(fixture));
}

test('opens on the demo profile with its holdings', async () => {
  assert.equal(await currentProfile(), 'Demo');
  assert.equal(await fileTotal(), 'In the files: 47,757.42 EUR + 131,289.20 USD');
  assert.ok((await page.locator('#holdings-table tbody tr').count()) > 20);
});

test('the first page runs its own small module and prefetches the whole app, which every other page runs', async () => {
  const ctx = await newContext(env);
  await ctx.addInitScript(() => {
    const seen = () => {
      if (window.__firstTable === undefined && document.querySelector('#holdings-table tbody tr')) window.__firstTable = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  });
  // The wasm modules a page requested: all, or those before or after its first table.
  const wasm = (page, when = 'all') => page.evaluate((when) => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('.wasm') && (when === 'all' || (when === 'before') === (e.startTime < window.__firstTable)))
    .map((e) => e.name.split('/').pop().split(/[-.]/)[0]), when);
  const first = await openApp(ctx, env);
  await first.waitForFunction(() => window.__firstTable !== undefined);
  assert.deepEqual(await wasm(first, 'before'), ['first_page']);
  // Once the table is shown, the whole app's module is fetched in the background.
  await first.waitForFunction(() => document.querySelectorAll('link[rel="prefetch"]').length === 2);
  await first.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/folio-[0-9a-f]+_bg\.wasm$/.test(e.name)));
  assert.deepEqual(await wasm(first, 'after'), ['folio']);
  // Another page: the document reloads at the new address, into the whole app.
  await first.evaluate(() => { window.__document = 'first page'; });
  await first.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await first.waitForSelector('main h1:text-is("Dashboard")');
  assert.equal(new URL(first.url()).pathname, '/dashboard');
  assert.equal(await first.evaluate(() => window.__document), undefined);
  assert.deepEqual(await wasm(first), ['folio']);
  // From there the whole app moves between pages itself, the holdings page included.
  await first.evaluate(() => { window.__document = 'whole app'; });
  await first.getByRole('link', { name: 'Holdings', exact: true }).click();
  await first.waitForSelector('#holdings-table tbody tr');
  await first.getByRole('link', { name: 'Risk', exact: true }).click();
  await first.waitForSelector('main h1:text-is("Risk")');
  assert.equal(await first.evaluate(() => window.__document), 'whole app');
  // A link to another page starts the whole app at once; an unknown address says so.
  const deep = await openApp(ctx, env, '/rebalance');
  assert.equal(await deep.locator('main h1').textContent(), 'Rebalance');
  assert.deepEqual(await wasm(deep), ['folio']);
  await deep.goto(env.base + '/no-such-page');
  await deep.waitForSelector('main p:text-is("This page does not exist.")');
  assert.deepEqual([...first.errors, ...deep.errors], []);
  await ctx.close();
});

test('a database of schema v1, whose records the first page cannot upgrade, opens at "/" through the whole app', async () => {
  const ctx = await newContext(env);
  // Written by hand as v1 laid it out, from a same-origin document that runs no app.
  const setup = await ctx.newPage();
  await setup.goto(env.base + '/favicon.svg');
  await setup.evaluate(() => new Promise((ok, fail) => {
    const open = indexedDB.open('folio', 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore('profiles', { keyPath: 'id' });
      open.result.createObjectStore('imports', { keyPath: 'id' }).createIndex('profile_id', 'profile_id');
    };
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['profiles', 'imports'], 'readwrite');
      tx.objectStore('profiles').put({ id: 'p1', name: 'Old', created_ms: 1700000000000 });
      tx.objectStore('imports').put({
        id: 'i1', profile_id: 'p1', source: 'Crypto', file_name: 'old.csv', imported_ms: 1700000000001, active: true,
        report: { file_name: 'old.csv', format: 'Generic', encoding: 'UTF-8', delimiter: ',', header_line: 1, rows_read: 1,
          imported: 1, skipped: 0, skip_groups: [], notes: [], holdings: 1 },
        holdings: [{ symbol: 'BTC', asset_class: 'Crypto', quantity: 0.5, value: 21000.5, currency: 'USD', price: undefined, location: 'Kraken' }],
      });
      tx.oncomplete = () => { db.close(); ok(); };
      tx.onerror = () => fail(tx.error);
    };
  }));
  await setup.close();
  // The first page's module hands the address over; the whole app upgrades and shows it.
  const old = await openApp(ctx, env);
  await old.waitForSelector('#holdings-table tbody tr');
  assert.equal(await old.locator('main h1').textContent(), 'Holdings');
  assert.equal(await old.$eval('#profile-select', (s) => s.options[s.selectedIndex]?.textContent), 'Old');
  assert.match(await old.locator('#holdings-table tbody').textContent(), /Kraken/);
  const url = new URL(old.url());
  assert.equal(url.pathname + url.search, '/', 'the hand-over leaves no trace in the address');
  const modules = await old.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('.wasm')).map((e) => e.name.split('/').pop().split(/[-.]/)[0]));
  assert.deepEqual(modules, ['folio']);
  assert.deepEqual(old.errors, []);
  // Upgraded, the database opens in the first page's module again.
  await old.reload();
  await old.waitForSelector('#holdings-table tbody tr');
  assert.ok((await old.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
    .some((name) => /\/first_page-[0-9a-f]+_bg\.wasm$/.test(name)));
  await ctx.close();
});

test('every page of the navigation opens at its own address, in a new document', async () => {
  const ctx = await newContext(env);
  const links = await page.$$eval('nav[aria-label="Main"] a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
  assert.deepEqual(links.map(([name]) => name), ['Holdings', 'Dashboard', 'Rebalance', 'Risk', 'Import', 'Sources', 'Settings']);
  for (const [name, href] of links) {
    const opened = await openApp(ctx, env, href);
    assert.equal(await opened.locator('main h1').textContent(), name, href);
    assert.deepEqual(opened.errors, [], href);
    await opened.close();
  }
  await ctx.close();
});

test('creates a profile, imports a CoinTracking and a Saxo file, and sees the totals', async () => {
  await gotoNav('Settings');
  await page.fill('#new-profile-name', 'Test person');
  await page.click('#create-profile');
  await waitForProfile('Test person');
  await gotoNav('Holdings');
  assert.equal(await fileTotal(), 'In the files: —');

  await importFiles(['ct_balance_by_exchange.csv', 'saxo_positions_fr.csv']);
  const ct = page.locator('article[data-file="ct_balance_by_exchange.csv"]');
  const saxo = page.locator('article[data-file="saxo_positions_fr.csv"]');
  await ct.locator('.counts').waitFor();
  await saxo.locator('.counts').waitFor();
  assert.match(await ct.locator('.report-summary').textContent(), /CoinTracking Balance by Exchange/);
  assert.match(await ct.locator('.counts').textContent(), /8 rows read, 6 imported, 2 skipped/);
  assert.match(await ct.locator('.skipped').textContent(), /“Amount” is not a number — line\(s\) 8/);
  assert.match(await saxo.locator('.counts').textContent(), /6 rows read, 3 imported, 3 skipped → 3 holdings\. Total: 11,411\.00 EUR/);
  assert.equal(await saxo.locator('.source-select').inputValue(), 'stocks');

  await page.click('#commit-import');
  await page.waitForSelector('#import-done');
  await gotoNav('Holdings');
  assert.equal(await fileTotal(), 'In the files: 11,411.00 EUR + 45,490.00 USD');

  await page.reload();
  await page.waitForSelector('#file-total');
  assert.equal(await currentProfile(), 'Test person');
  assert.equal(await fileTotal(), 'In the files: 11,411.00 EUR + 45,490.00 USD', 'still there after a reload');
});

test('groups, sorts and filters dust', async () => {
  await page.selectOption('#view-by', 'Group');
  const rows = page.locator('#grouped-table tbody tr');
  assert.equal(await rows.first().locator('th').textContent(), 'BTC');
  assert.match(await rows.first().textContent(), /24,990\.00/);
  await page.selectOption('#view-by', 'all');

  await page.getByRole('button', { name: /^Asset/ }).click();
  assert.equal(await page.locator('#holdings-table tbody tr td .symbol').first().textContent(), 'AAPL');
  assert.equal(await page.locator('th[aria-sort="ascending"]').count(), 1);

  await page.fill('#dust-min', '100');
  await page.locator('#dust-min').press('Enter');
  await page.waitForSelector('#dust-hidden');
  assert.equal(await page.locator('#dust-hidden').textContent(), '1 hidden');
  assert.equal(await page.locator('#holdings-table tbody tr').count(), 8);
  await page.fill('#dust-min', '');
  await page.locator('#dust-min').press('Enter');
  await page.waitForSelector('#dust-hidden', { state: 'detached' });
});

test('a malformed file gets a clear error and nothing changes', async () => {
  const before = await total();
  await importFiles(['garbage.txt', 'malformed_ct.csv']);
  const garbage = page.locator('article[data-file="garbage.txt"] .import-error');
  await garbage.waitFor();
  assert.match(await garbage.textContent(), /^“garbage\.txt” is not in a format Folio knows\. Folio reads CSV and XLSX exports: CoinTracking/);
  const malformed = page.locator('article[data-file="malformed_ct.csv"] .import-error');
  await malformed.waitFor();
  assert.match(await malformed.textContent(), /Nothing to import from “malformed_ct\.csv”/);
  assert.equal(await page.locator('#commit-import').isDisabled(), true);
  await page.click('#cancel-import');
  await gotoNav('Holdings');
  assert.equal(await total(), before);
  await gotoNav('Sources');
  assert.equal(await page.locator('table.versions tbody tr').count(), 2);
});

test('asks for a column mapping when unsure, then remembers it', async () => {
  await importFiles(['generic_unsure.csv']);
  const item = page.locator('article[data-file="generic_unsure.csv"]');
  await item.locator('.mapping').waitFor();
  assert.equal(await item.locator('.apply-mapping').isDisabled(), true);
  await item.getByLabel('Symbol *').selectOption({ label: 'Col A (1)' });
  await item.getByLabel('Quantity *').selectOption({ label: 'Col B (2)' });
  await item.getByLabel('Location', { exact: true }).selectOption({ label: 'Col C (3)' });
  await item.locator('.apply-mapping').click();
  await item.locator('.counts').waitFor();
  assert.match(await item.locator('.counts').textContent(), /2 rows read, 2 imported, 0 skipped → 2 holdings/);
  await page.click('#commit-import');
  await page.waitForSelector('#import-done');

  await importFiles(['generic_unsure.csv']);
  await item.locator('.counts').waitFor();
  assert.equal(await item.locator('.mapping').count(), 0, 'the saved mapping is used');
  await page.click('#cancel-import');
});

test('reads a Saxo XLSX workbook in the browser', async () => {
  await importFiles(['saxo_positions.xlsx']);
  const item = page.locator('article[data-file="saxo_positions.xlsx"]');
  await item.locator('.counts').waitFor();
  assert.match(await item.locator('.report-summary').textContent(), /Saxo Bank Positions · XLSX workbook/);
  assert.match(await item.locator('.counts').textContent(), /3 rows read, 2 imported, 1 skipped → 2 holdings\. Total: 12,615\.00 EUR/);
  await page.click('#cancel-import');
});

test('any symbol can be assigned to a group, and the answer on persistent storage is shown', async () => {
  await gotoNav('Settings');
  // The page must give the browser's own answer, whichever it is.
  const granted = await page.evaluate(() => navigator.storage.persisted());
  const expected = granted ? /storage is persistent/ : /may clear Folio's data/;
  assert.match(await page.locator('#persistence').textContent(), expected);
  await page.fill('#assign-symbol', 'eth');
  await page.selectOption('#assign-group', 'DeFi');
  await page.click('#assign-form button[type=submit]');
  await page.waitForSelector('td:text-is("ETH")');
  await gotoNav('Holdings');
  const eth = page.locator('#holdings-table tbody tr', { has: page.locator('.symbol:text-is("ETH")') }).first();
  assert.equal(await eth.locator('td').nth(1).textContent(), 'DeFi');
});

test('switching profile shows none of the other profile’s data', async () => {
  await gotoNav('Holdings');
  const symbols = () => page.locator('#holdings-table .symbol').allTextContents();
  assert.ok((await symbols()).includes('BRK.B'));
  await page.selectOption('#profile-select', { label: 'Demo' });
  await page.waitForFunction(() => document.querySelector('#file-total')?.textContent === 'In the files: 47,757.42 EUR + 131,289.20 USD');
  assert.ok(!(await symbols()).includes('BRK.B'));
  await page.selectOption('#profile-select', { label: 'Test person' });
  await page.waitForFunction(() => !document.querySelector('#file-total')?.textContent.includes('47,757.42'));
  const mine = await symbols();
  assert.ok(mine.includes('BRK.B') && !mine.includes('DOGE'));
});

test('a 100,000-row file is parsed in the import worker, with a moving progress bar', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'folio-e2e-'));
  const file = join(dir, 'big_balance_by_exchange.csv');
  const lines = ['"Amount","Currency","Current value in USD","Current value in BTC","Exchange"'];
  for (let i = 0; i < 100000; i++) {
    lines.push(`"${(i % 97) + 1}.50000000","C${i % 5000}","${(i % 89) + 1}.25","0.00000100","Exchange ${i % 30}"`);
  }
  writeFileSync(file, '\ufeff' + lines.join('\r\n') + '\r\n');
  await gotoNav('Import');
  // Every progress value the page shows, recorded as the DOM changes (no sampling).
  await page.evaluate(() => {
    window.__progress = [];
    window.__progressObserver = new MutationObserver(() => {
      const v = document.querySelector('.import-progress')?.getAttribute('value');
      if (v !== undefined && v !== null && window.__progress.at(-1) !== v) window.__progress.push(v);
    });
    window.__progressObserver.observe(document.querySelector('#import-items'), { childList: true, subtree: true, attributes: true });
  });
  await page.setInputFiles('#file-input', file);
  const item = page.locator('article[data-file="big_balance_by_exchange.csv"]');
  await item.locator('.counts').waitFor();
  const seen = await page.evaluate(() => { window.__progressObserver.disconnect(); return window.__progress.map(Number); });
  // The worker reports every 20,000 rows: 0, then four values before the end, rising.
  assert.ok(seen.length >= 5, `progress values seen: ${seen.join(', ')}`);
  assert.ok(seen.every((v, i) => i === 0 || v > seen[i - 1]), `progress values seen: ${seen.join(', ')}`);
  const workers = page.workers().map((w) => new URL(w.url()).pathname);
  assert.ok(workers.includes('/import_worker_loader.js'), `workers: ${workers.join(', ')}`);
  assert.match(await item.locator('.counts').textContent(), /100000 rows read, 100000 imported, 0 skipped → 15000 holdings/);
  await page.click('#cancel-import');
});
