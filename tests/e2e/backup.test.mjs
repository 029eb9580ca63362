// End-to-end: backups and restores in the release build (real Chromium, real IndexedDB,
// real downloads): the demo profile backed up, the site's data cleared, the backup restored
// with the same holdings, targets and plans; a sealed whole-database backup refused with the
// wrong passphrase and restored with the right one; damaged, truncated and foreign files
// refused with their sentence, changing nothing; the reminder after an import; a file kept
// up to date through the File System Access API (a fake picker: headless Chromium shows no
// dialog).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { start, newContext, openApp, FIXTURES } from './harness.mjs';

let env;
let context;
let page;
const dir = mkdtempSync(join(tmpdir(), 'folio-backup-'));

before(async () => {
  env = await start();
  context = await newContext(env);
  page = await openApp(context, env);
  await settled();
});

after(async () => {
  assert.deepEqual(env.external, [], 'no request left the page');
  assert.deepEqual(page.errors, [], 'no uncaught errors in the page');
  const unexpected = page.consoleErrors.filter((e) => !e.startsWith('Failed to load resource: the server responded with a status of 404'));
  assert.deepEqual(unexpected, [], 'no console errors');
  await env.close();
});

/** Waits until the price refresh is over (its snapshot and settings writes included). */
const settled = () => page.waitForFunction(() => !document.querySelector('#price-status')?.textContent.includes('updating'), null, { timeout: 30000 });
const currentProfile = () => page.$eval('#profile-select', (s) => s.options[s.selectedIndex]?.textContent);
const profileNames = () => page.$$eval('#profile-select option', (os) => os.map((o) => o.textContent));

async function gotoNav(name) {
  await page.getByRole('link', { name, exact: true }).click();
  await page.waitForSelector(`main h1:text-is("${name}")`);
}

/** Clicks `selector` and keeps the download it starts in the test's folder. */
async function download(selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), path };
}

/** What the holdings page shows: the file total and every row's symbol, quantity, group. */
async function holdings() {
  await gotoNav('Holdings');
  await page.waitForSelector('#holdings-table tbody tr');
  const rows = await page.$$eval('#holdings-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent).join(' | ')));
  return { total: await page.locator('#file-total').textContent(), rows: rows.sort() };
}

async function targets() {
  await gotoNav('Rebalance');
  const out = {};
  for (const c of ['crypto', 'stocks', 'etfs', 'cash']) out[c] = await page.inputValue(`#target-class-${c}`);
  out.plans = await page.$$eval('#saved-plans li', (lis) => lis.map((li) => li.dataset.state));
  return out;
}

async function setTarget(id, value) {
  await page.fill(id, String(value));
  await page.press(id, 'Tab');
}

/** Picks a file to restore; the sentence the page answers with (an error or the preview's). */
async function pick(path) {
  await gotoNav('Settings');
  await page.setInputFiles('#restore-file', path);
  await page.waitForSelector('#restore-error, #restore-preview, #restore-sealed');
}

test('an import brings the reminder, which "Not now" silences for a week', async () => {
  assert.equal(await page.locator('#backup-reminder').count(), 0, 'no reminder before any import');
  await gotoNav('Import');
  // On the demo the page offers a profile of one's own first; this test imports into it.
  await page.click('#import-into-demo');
  await page.setInputFiles('#file-input', join(FIXTURES, 'ct_balance_by_exchange.csv'));
  await page.locator('article[data-file="ct_balance_by_exchange.csv"] .counts').waitFor();
  await page.click('#commit-import');
  await page.waitForSelector('#import-done');
  const reminder = page.locator('#backup-reminder');
  await reminder.waitFor();
  assert.match(await reminder.textContent(), /You imported files on \d{4}-\d\d-\d\d and have not backed up since\. Back up now \(Folio reminds you at most once every 7 days\.\)/);
  await page.click('#backup-reminder-dismiss');
  await reminder.waitFor({ state: 'detached' });
  await page.reload();
  await page.waitForSelector('main h1');
  assert.equal(await page.locator('#backup-reminder').count(), 0, 'still silent after a reload');
  await settled();
});

test('the demo profile backed up, the site data cleared, and the backup restored: same holdings, targets and plans', async () => {
  // Make the profile its own: a name, targets, a saved plan.
  await gotoNav('Settings');
  const nameInput = page.locator('ul.profiles li input[type=text]').first();
  await nameInput.fill('Demo (mine)');
  await page.locator('ul.profiles li').first().getByRole('button', { name: 'Rename' }).click();
  await page.waitForFunction(() => document.querySelector('#profile-select')?.textContent.includes('Demo (mine)'));
  await gotoNav('Rebalance');
  await setTarget('#target-class-crypto', 50);
  await setTarget('#target-class-stocks', 25);
  await setTarget('#target-class-etfs', 15);
  await setTarget('#target-class-cash', 10);
  await page.waitForFunction(() => /trade\(s\)/.test(document.querySelector('#plan-status')?.textContent ?? ''));
  await page.click('#save-plan');
  await page.waitForSelector('#saved-plans li[data-state="Draft"]');
  const before = { holdings: await holdings(), targets: await targets() };
  assert.deepEqual(before.targets, { crypto: '50.00', stocks: '25.00', etfs: '15.00', cash: '10.00', plans: ['Draft'] });

  await gotoNav('Settings');
  assert.match(await page.locator('#storage-use').textContent(), /^Folio's data takes [\d.]+ [KMG]?B in this browser, of [\d.]+ [KMG]?B it may use \([\d.]+ [KMG]?B left\)\.$/);
  await page.check('#backup-profile');
  const file = await download('#backup-download');
  assert.match(file.name, /^folio-demo-mine-\d{4}-\d\d-\d\d\.folio$/);
  assert.match(await page.locator('#backup-done').textContent(), /^Backed up profile “Demo \(mine\)” to folio-demo-mine-.*\.folio \([\d.]+ KB\)\.$/);
  assert.match(await page.locator('#last-backup').textContent(), /^Last backup: \d{4}-\d\d-\d\d \d\d:\d\d UTC — profile “Demo \(mine\)”, folio-demo/);
  assert.equal(await page.locator('#backup-reminder').count(), 0);

  // Clear all site data, as the browser's settings would, and start again.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: env.base, storageTypes: 'all' });
  await page.reload();
  await page.waitForSelector('main h1');
  await settled();
  assert.deepEqual(await profileNames(), ['Demo'], 'a fresh start: the new demo profile only');
  assert.deepEqual((await targets()).plans, []);

  await pick(file.path);
  const preview = page.locator('#restore-preview');
  assert.match(await preview.locator('#restore-profiles tbody').textContent(), /Demo \(mine\)0031/, "accounts 0, transactions 0, imports 3 (the demo's two and the first test's), plans 1");
  const consequences = await page.locator('#restore-consequences li').allTextContents();
  assert.deepEqual(consequences, [
    'Adds profile “Demo (mine)” (0 account(s), 0 transaction(s), 3 import(s), 1 plan(s)).',
    'Leaves profile “Demo” as it is.',
    'Leaves the cached prices, price history and exchange rates as they are.',
  ]);
  assert.equal(await page.locator('#restore-version').textContent(), '4');
  await page.click('#restore-confirm');
  await page.waitForSelector('#restore-done');
  assert.match(await page.locator('#restore-done').textContent(), /^Restored profile “Demo \(mine\)” from folio-demo-mine-.*\.folio, written \d{4}-\d\d-\d\d\.$/);
  assert.equal(await currentProfile(), 'Demo (mine)');
  await settled();
  assert.deepEqual({ holdings: await holdings(), targets: await targets() }, before);
});

test('a sealed whole-database backup: the passphrase twice, the warning, the wrong one refused, the right one restores', async () => {
  await gotoNav('Settings');
  await page.check('#backup-database');
  await page.check('#backup-seal');
  assert.match(await page.locator('#passphrase-warning').textContent(), /^A forgotten passphrase cannot be recovered\./);
  await page.fill('#backup-passphrase', 'correct horse battery staple');
  await page.fill('#backup-passphrase-again', 'correct horse battery stapler');
  await page.click('#backup-download');
  await page.waitForSelector('text=The two passphrases differ; type the same one twice.');
  await page.fill('#backup-passphrase-again', 'correct horse battery staple');
  const file = await download('#backup-download');
  assert.match(file.name, /^folio-all-\d{4}-\d\d-\d\d\.folio$/);
  assert.match(await page.locator('#backup-done').textContent(), /^Backed up the whole database \(2 profile\(s\)\) to folio-all-.*, sealed with your passphrase\.$/);

  // A change after the backup, which the restore undoes.
  await page.fill('#new-profile-name', 'Scratch');
  await page.click('#create-profile');
  await page.waitForFunction(() => document.querySelector('#profile-select')?.textContent.includes('Scratch'));
  await settled();

  await pick(file.path);
  assert.match(await page.locator('#restore-sealed').textContent(), /is sealed with a passphrase: what it holds is shown once it is opened\./);
  await page.fill('#restore-passphrase', 'Correct horse battery staple');
  await page.click('#restore-unlock');
  await page.waitForSelector('#restore-error');
  assert.equal(await page.locator('#restore-error').textContent(), 'The passphrase is wrong; the backup was not opened.');
  assert.equal(await page.locator('#restore-preview').count(), 0);
  await page.fill('#restore-passphrase', 'correct horse battery staple');
  await page.click('#restore-unlock');
  await page.waitForSelector('#restore-preview');
  const consequences = await page.locator('#restore-consequences li').allTextContents();
  assert.ok(consequences.some((c) => /^Deletes profile “Scratch” \(0 account\(s\), 0 transaction\(s\), 0 import\(s\), 0 plan\(s\)\): the file does not have it\.$/.test(c)), consequences.join('\n'));
  assert.ok(consequences.some((c) => c.startsWith('Replaces profile “Demo (mine)” here')), consequences.join('\n'));
  assert.equal(consequences.at(-1), 'Replaces the cached prices, price history, exchange rates and app settings with the file\'s.');
  await page.click('#restore-confirm');
  await page.waitForSelector('#restore-done');
  assert.deepEqual((await profileNames()).sort(), ['Demo', 'Demo (mine)']);
});

test('damaged, truncated and foreign files get one sentence each and change nothing', async () => {
  await gotoNav('Settings');
  await page.uncheck('#backup-seal');
  await page.check('#backup-profile');
  const good = readFileSync((await download('#backup-download')).path);
  const before = { names: await profileNames(), holdings: await holdings() };
  const flipped = Buffer.from(good);
  flipped[Math.floor(flipped.length / 2)] ^= 0x40;
  const cases = [
    ['damaged.folio', flipped, 'The backup file is damaged: its contents no longer match its checksum.'],
    ['cut.folio', good.subarray(0, good.length - 100), 'The backup file is incomplete: it ends before its last byte (was the download or copy interrupted?).'],
    ['holdings.folio', readFileSync(join(FIXTURES, 'ct_balance_by_exchange.csv')), 'This is not a Folio backup file.'],
  ];
  for (const [name, bytes, sentence] of cases) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    await pick(path);
    assert.equal(await page.locator('#restore-error').textContent(), sentence, name);
    assert.equal(await page.locator('#restore-preview').count(), 0, name);
  }
  assert.deepEqual({ names: await profileNames(), holdings: await holdings() }, before);
});

test('a file kept up to date is rewritten a few seconds after a change, until stopped', async () => {
  // Headless Chromium opens no file dialog: a stand-in picker records what Folio writes.
  await page.evaluate(() => {
    window.__writes = [];
    window.showSaveFilePicker = async (options) => {
      window.__suggested = options.suggestedName;
      return {
        name: 'kept.folio',
        createWritable: async () => {
          let bytes = 0;
          return {
            write: async (data) => { bytes += data.byteLength; },
            close: async () => { window.__writes.push(bytes); },
          };
        },
      };
    };
  });
  await gotoNav('Holdings');
  await gotoNav('Settings');
  await page.check('#backup-profile');
  await page.click('#backup-keep');
  await page.waitForSelector('#backup-kept');
  assert.match(await page.locator('#backup-kept').textContent(), /^Backed up profile “.*” to kept\.folio; Folio rewrites it 5 s after each change while this page is open\.$/);
  assert.match(await page.locator('#kept-file').textContent(), /^Keeping kept\.folio up to date \(profile “.*”\): last written \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
  assert.equal(await page.evaluate(() => window.__writes.length), 1);
  assert.ok((await page.evaluate(() => window.__writes[0])) > 1000);
  // A change of data: the file is rewritten once, about 5 s later.
  await page.fill('#assign-symbol', 'xyz');
  await page.click('#assign-form button[type=submit]');
  await page.waitForFunction(() => window.__writes.length >= 2, null, { timeout: 20000 });
  await page.click('#backup-keep-stop');
  const written = await page.evaluate(() => window.__writes.length);
  await page.fill('#assign-symbol', 'abc');
  await page.click('#assign-form button[type=submit]');
  await page.waitForTimeout(7000);
  assert.equal(await page.evaluate(() => window.__writes.length), written, 'no rewrite once stopped');
});
