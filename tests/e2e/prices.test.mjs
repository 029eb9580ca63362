// End-to-end: live prices and FX through intercepted provider requests (fixtures only),
// the source chain under failures, and cached prices when everything is offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, newContext, openApp, providerMocks, FIXTURES } from './harness.mjs';

let env;
let mocks;
let page;

before(async () => {
  env = await start();
  mocks = providerMocks();
  const context = await newContext(env, mocks);
  page = await openApp(context, env);
});

after(async () => {
  assert.deepEqual(env.external, [], 'no request left the page');
  assert.deepEqual(page.errors, [], 'no uncaught errors (panics) in the page');
  assert.ok(!page.consoleErrors.some((e) => /panicked/.test(e)), page.consoleErrors.join('\n'));
  await env.close();
});

const total = () => page.locator('#grand-total').textContent();
const events = () => page.locator('#price-events').textContent();
const settled = () => page.waitForFunction(() => !document.querySelector('#price-status')?.textContent.includes('updating'), null, { timeout: 30000 });
const row = (symbol, location) =>
  page.locator('#holdings-table tbody tr', { has: page.locator(`.symbol:text-is("${symbol}")`) }).filter({ hasText: location });

async function gotoNav(name) {
  await page.getByRole('link', { name, exact: true }).click();
  await page.waitForSelector(`main h1:text-is("${name}")`);
}

test('a coin the bundled map does not know is found by CoinGecko search, or given an id by hand', async () => {
  // The demo holds VIRTUAL (written VIRTUAL2 by CoinTracking), which the bundled map lacks.
  await settled();
  await gotoNav('Settings');
  const ids = page.locator('#id-overrides');
  await ids.waitFor();
  assert.match(await ids.textContent(), /coingecko:VIRTUALvirtual-protocol/);

  // A coin no search finds: the worklist offers an id field.
  await gotoNav('Sources');
  await page.selectOption('#manual-class', 'Crypto');
  await page.fill('#manual-symbol', 'zznew');
  await page.fill('#manual-quantity', '10');
  await page.fill('#manual-currency', 'USD');
  await page.fill('#manual-location', 'Cold wallet');
  await page.getByRole('button', { name: 'Add entry' }).click();
  await page.waitForSelector('table.manual td:text-is("ZZNEW")');
  await gotoNav('Holdings');
  await page.click('#refresh-prices');
  await settled();
  await page.locator('#missing-prices summary').click();
  await page.fill('#cgid-zznew', 'virtual-protocol');
  await page.locator('#missing-prices li', { hasText: 'ZZNEW' }).getByRole('button', { name: 'Use this id' }).click();
  await page.waitForFunction(() => !document.querySelector('#missing-prices')?.textContent.includes('ZZNEW'));
  await settled();
  const zz = page.locator('#holdings-table tbody tr', { has: page.locator('.symbol:text-is("ZZNEW")') });
  assert.equal(await zz.locator('.value').textContent(), '15.00');
  assert.match(await zz.locator('.origin').textContent(), /^CoinGecko · just now/);
});

test('values a mixed CoinTracking + Saxo portfolio in EUR', async () => {
  await gotoNav('Settings');
  await page.fill('#new-profile-name', 'Prices');
  await page.click('#create-profile');
  await page.waitForFunction(() => {
    const s = document.querySelector('#profile-select');
    return s?.options[s.selectedIndex]?.textContent === 'Prices';
  });
  await page.selectOption('#base-currency', 'EUR');
  await page.selectOption('#pricing-mode', 'live');
  await gotoNav('Import');
  await page.setInputFiles('#file-input', ['ct_balance_by_exchange.csv', 'saxo_positions_fr.csv'].map((f) => join(FIXTURES, f)));
  await page.locator('article[data-file="saxo_positions_fr.csv"] .counts').waitFor();
  await page.locator('article[data-file="ct_balance_by_exchange.csv"] .counts').waitFor();
  await page.click('#commit-import');
  await page.waitForSelector('#import-done');
  await gotoNav('Holdings');
  await settled();
  // Crypto at the fixture's USD prices, converted at 1.25 USD per EUR:
  // BTC 0.2499 × 100,000 + ETH 3 × 4,000 + USDT 1,000 × 1 + SOL 50 × 200 = 47,990 USD = 38,392 EUR;
  // Saxo positions keep their file values (no stock API key): 11,411 EUR.
  assert.equal(await total(), '49,803.00 EUR');
  assert.match(await page.locator('#price-status').textContent(), /Values in EUR · pricing: Live prices · FX: ECB rates of 2025-01-02/);
  assert.match(await row('BTC', 'Ledger Wallets').locator('.origin').textContent(), /^CoinGecko · just now/);
  assert.equal(await row('BTC', 'Ledger Wallets').locator('.value').textContent(), '20,000.00');
  assert.match(await row('AAPL', 'Saxo Bank').locator('.origin').textContent(), /^file · /);
  assert.match(await page.locator('#missing-prices summary').textContent(), /3 asset\(s\) without a live price/);
  assert.match(await events(), /No live price for AAPL, BRK\.B, IWDA/);
  assert.ok(mocks.calls.frankfurter >= 1);
  // Spot prices are batched: one CoinGecko request for every coin of the refresh.
  const simple = mocks.urls.filter((u) => u.includes('/simple/price')).at(-1);
  const ids = new URL(simple).searchParams.get('ids').split(',');
  for (const id of ['bitcoin', 'ethereum', 'tether', 'solana']) assert.ok(ids.includes(id), simple);

  // A typed price is used at once and labelled as manual.
  await page.locator('#missing-prices summary').click();
  await page.fill('#price-listed-aapl-xnas', '200');
  await page.locator('#missing-prices li', { hasText: 'AAPL' }).getByRole('button').click();
  await page.waitForFunction(() => document.querySelector('#grand-total')?.textContent === '49,952.75 EUR');
  assert.match(await row('AAPL', 'Saxo Bank').locator('.origin').textContent(), /^manual/);
});

test('the dashboard shows the total, changes, allocation, snapshots and movers', async () => {
  await gotoNav('Dashboard');
  await page.waitForFunction(() => document.querySelector('#dashboard-total')?.textContent === '49,952.75 EUR');
  // The import's snapshot was taken at 49,803.00 EUR, before AAPL's typed price.
  assert.match(await page.locator('#change-snapshot').textContent(), /^\+149\.75 EUR \(\+0\.30 %\) since the snapshot of \d{1,2} [A-Z][a-z]{2} \d{4} \(just now\)$/);
  // 24 h: BTC +1.5 %, ETH −2 %, SOL +5 %, USDT 0 % on 19,992 + 9,600 + 8,000 + 800 EUR now.
  assert.match(await page.locator('#change-24h').textContent(), /^\+480\.48 EUR \(\+0\.97 %\) over 24 h \(live prices\), from the 77 % of the value that has a 24 h change$/);
  assert.equal(await page.locator('#movers tbody tr').first().locator('td').first().textContent(), 'SOL');
  // Allocation by group as ranked HTML bars, each row the chart's data, over positive values only:
  // BTC's 20,000 EUR of 49,960.75 (the 49,952.75 total without the −8 EUR BTC balance) = 40.03 %.
  assert.match(await page.locator('#allocation-table tbody tr').first().textContent(), /^BTC20,000\.0040\.0 %$/);
  assert.equal(await page.locator('#allocation-table tbody tr').first().locator('.hbar > span').evaluate((s) => s.style.getPropertyValue('--pct')), '40.03');
  const painted = await page.evaluate(() => {
    const c = document.querySelector('#value-over-time');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) n++;
    return n;
  });
  assert.ok(painted > 1000, `value over time drawn (${painted} coloured pixels)`);
  assert.deepEqual(page.consoleErrors.filter((e) => /Content Security Policy/.test(e)), [], 'charts respect the CSP');
  assert.equal(await page.locator('#snapshot-count').textContent(), '1 snapshot saved');
  await page.click('#take-snapshot');
  await page.waitForFunction(() => document.querySelector('#snapshot-count')?.textContent === '2 snapshots saved');
  assert.equal(await page.locator('#snapshot-table tbody tr').count(), 2);
  await gotoNav('Holdings');
});

test('a year of daily prices rebuilds the value over time with the FX of each day', async () => {
  await gotoNav('Dashboard');
  await page.click('#load-history');
  await page.waitForFunction(() => /^Daily history for 4 of 4 coins\.$/.test(document.querySelector('#history-status')?.textContent ?? ''));
  const rows = page.locator('#history-table tbody tr');
  assert.equal(await rows.count(), 5);
  // Today: BTC 0.2499 × 100,000 + ETH 3 × 4,000 + USDT 1,000 + SOL 50 × 200 = 47,990 USD at 1.25 = 38,392 EUR;
  // four days back every close is 4 % lower: 36,856.32 EUR.
  assert.equal(await rows.first().locator('td').nth(1).textContent(), '38,392.00');
  assert.equal(await rows.last().locator('td').nth(1).textContent(), '36,856.32');
  assert.match(await page.locator('#rebuilt-note').textContent(), /Left out for want of a daily history: AAPL, BRK\.B, IWDA\.$/);
  await gotoNav('Holdings');
});

for (const [kind, said] of [
  ['429', /CoinGecko: rate limited \(HTTP 429\); trying the next source/],
  ['500', /CoinGecko: HTTP 500: Internal Server Error; trying the next source/],
  ['hang', /CoinGecko: no answer within 8 s; trying the next source/],
  ['malformed', /CoinGecko: unexpected response: not JSON/],
  ['opaque', /CoinGecko: network error or blocked response/],
]) {
  test(`CoinGecko answering ${kind}: the next source takes over and the page says so`, async () => {
    mocks.mode.coingecko = kind;
    await page.reload();
    await page.waitForSelector('#price-status');
    await settled();
    const text = await events();
    assert.match(text, said);
    // Binance prices BTC, ETH and SOL; it has no USDT pair, so Coinbase prices USDT.
    assert.match(text, /Binance: 3 price\(s\)/);
    assert.match(text, /Coinbase: 1 price\(s\)/);
    assert.equal(await total(), '49,952.75 EUR', 'same prices from Binance');
    assert.match(await row('BTC', 'Ledger Wallets').locator('.origin').textContent(), /^Binance · just now/);
  });
}

test('with every source offline, cached prices and rates are used and marked with their age', async () => {
  for (const k of Object.keys(mocks.mode)) mocks.mode[k] = 'offline';
  await page.clock.install({ time: Date.now() + 7 * 3600 * 1000 });
  await page.reload();
  await page.waitForSelector('#price-status');
  await settled();
  const text = await events();
  assert.match(text, /Frankfurter \(ECB\): network error or blocked response \([^)]*\); using cached rates of 2025-01-02/);
  assert.match(text, /CoinGecko: network error/);
  assert.equal(await total(), '49,952.75 EUR', 'valued from the cache');
  const btc = row('BTC', 'Ledger Wallets').locator('.origin');
  assert.match(await btc.textContent(), /^Binance · 7 h stale/);
});
