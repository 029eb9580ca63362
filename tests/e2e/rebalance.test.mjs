// End-to-end: targets on the demo profile, the live plan, CSV and JSON exports, share links
// opened in a fresh browser (and damaged ones), saved plans and their states.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, newContext, openApp } from './harness.mjs';

let env;
let page;

before(async () => {
  env = await start();
  const context = await newContext(env);
  page = await openApp(context, env);
  await page.waitForFunction(() => !document.querySelector('#price-status')?.textContent.includes('updating'), null, { timeout: 30000 });
  await page.getByRole('link', { name: 'Rebalance', exact: true }).click();
  await page.waitForSelector('main h1:text-is("Rebalance")');
});

after(async () => {
  assert.deepEqual(env.external, [], 'no request left the page');
  assert.deepEqual(page.errors, [], 'no uncaught errors (panics) in the page');
  await env.close();
});

const status = () => page.locator('#plan-status').textContent();

/** Types a target and leaves the field (input, then change). */
async function setTarget(id, value) {
  await page.fill(id, String(value));
  await page.press(id, 'Tab');
}

/** Reads a download triggered by clicking `selector`. */
async function downloaded(selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

function parseCsv(text) {
  const rows = [];
  for (const line of text.replace(/^\uFEFF/, '').trimEnd().split('\n')) {
    const cells = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { cells.push(cur); cur = ''; } else cur += c;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

test('a profile without targets starts from today\'s weights; templates leave groups it holds none of at zero unless asked', async () => {
  // Today's weights: every sleeve on target, nothing to trade, every level assigned.
  await page.waitForFunction(() => /inside its drift band/.test(document.querySelector('#plan-status')?.textContent ?? ''));
  assert.match(await page.locator('#class-remainder').textContent(), /100 % assigned/);
  assert.match(await page.locator('#group-remainder').textContent(), /100 % assigned/);
  // The demo holds no gaming or NFT token: "Aggressive" (2 % of crypto there) leaves it at 0…
  await page.click('#template-aggressive');
  assert.equal(await page.inputValue('#target-group-gaming-nft'), '0.00');
  assert.match(await page.locator('#group-remainder').textContent(), /100 % assigned/);
  // …unless every group is asked for.
  await page.check('#template-all-groups');
  await page.click('#template-aggressive');
  assert.equal(await page.inputValue('#target-group-gaming-nft'), '2.00');
  await page.uncheck('#template-all-groups');
});

test('targets must sum to 100 % before a plan is made, and every edit updates the plan at once', async () => {
  await setTarget('#target-class-crypto', 50);
  await setTarget('#target-class-stocks', 25);
  await setTarget('#target-class-etfs', 15);
  await setTarget('#target-class-cash', 15);
  assert.match(await page.locator('#class-remainder').textContent(), /−?-5\.00 points left/);
  assert.match(await page.locator('#plan-error').textContent(), /add up to 105\.00 %/);
  await setTarget('#target-class-cash', 10);
  assert.match(await page.locator('#class-remainder').textContent(), /100 % assigned/);

  // Crypto split by group: BTC 50, ETH 25, stablecoins 15, SOL 10, every other group 0.
  if (!(await page.isChecked('#split-crypto'))) await page.check('#split-crypto');
  for (const input of await page.locator('#group-targets input[type=number]').all()) {
    await input.fill('0');
  }
  await setTarget('#target-group-btc', 50);
  await setTarget('#target-group-eth', 25);
  await setTarget('#target-group-stablecoins', 15);
  await setTarget('#target-group-sol', 10);
  assert.match(await page.locator('#group-remainder').textContent(), /100 % assigned/);
  const before = await status();
  assert.match(before, /^\d+ trade\(s\): sells [\d,.]+ USD, buys [\d,.]+ USD, estimated fees/);
  // No daily cap unless one is set: the whole plan is one day.
  assert.match(before, /no daily cap: one day\.$/);
  // One more edit, no button: the plan follows.
  await page.fill('#target-group-btc', '40');
  await page.fill('#target-group-eth', '35');
  await page.waitForFunction((b) => document.querySelector('#plan-status')?.textContent !== b, before);
  // The drift table shows the new BTC target: 40 % of the 50 % crypto share.
  const btc = page.locator('#drift tr[data-sleeve="BTC"] td').nth(1);
  assert.equal(await btc.textContent(), '20.00 %');
  // Memecoins (DOGE, PEPE) are 0 %: every one of them is sold.
  const sells = await page.locator('#actions tbody tr.sell').allTextContents();
  assert.ok(sells.some((r) => r.includes('DOGE')), sells.join('\n'));
});

test('the CSV and JSON exports carry the plan on screen', async () => {
  const rows = await page.locator('#actions tbody tr.sell, #actions tbody tr.buy').count();
  const csv = await downloaded('#export-csv');
  assert.equal(csv.name, 'rebalance-actions.csv');
  const table = parseCsv(csv.text);
  assert.deepEqual(table[0], ['group', 'alias', 'symbol', 'action', 'usd', 'est_quantity', 'price_used', 'exec_hint']);
  assert.equal(table.length - 1, rows);
  const json = await downloaded('#export-json');
  assert.equal(json.name, 'rebalance-plan.json');
  const plan = JSON.parse(json.text);
  assert.equal(plan.base_currency, 'USD');
  assert.equal(plan.actions.length, rows);
  assert.equal(plan.targets.groups.BTC, 40);
  // Same actions, same amounts, in the same order; sells negative.
  for (const [i, a] of plan.actions.entries()) {
    const r = table[i + 1];
    assert.deepEqual([r[0], r[1], r[3]], [a.group, a.alias, a.action]);
    assert.equal(r[4], a.usd.toFixed(2));
    assert.equal(Math.sign(a.usd), a.action === 'sell' ? -1 : 1);
  }
  // The plan balances: sells net of fees pay for buys and theirs.
  const net = plan.actions.reduce((s, a) => s + (a.action === 'sell' ? -a.usd - a.fee : -(a.usd + a.fee)), 0);
  assert.ok(Math.abs(net) < 1e-6, `net cash ${net}`);
  assert.ok(Math.abs(plan.sells - plan.actions.filter((a) => a.action === 'sell').reduce((s, a) => s - a.usd, 0)) < 1e-6);
  // BTC sells start on the exchange, the Ledger comes last.
  const btcSells = plan.actions.filter((a) => a.alias === 'BTC' && a.action === 'sell').map((a) => a.location);
  assert.equal(btcSells[0], 'Binance');
  // The print view keeps the plan and its targets, and drops the navigation and the share
  // buttons (design.test.mjs checks the targets' printed values).
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('#actions'), true);
  assert.equal(await page.isVisible('nav'), false);
  assert.equal(await page.isVisible('#class-targets'), true);
  assert.equal(await page.isVisible('#share-full'), false);
  await page.emulateMedia({ media: 'screen' });
  // TWAP: 6 child orders 5 minutes apart (fewer for small orders), built when opened.
  await page.selectOption('#algo', 'twap');
  await page.click('#schedule summary');
  // The table is built after the toggle: wait for its rows (reading them at once raced).
  await page.locator('#schedule tbody tr').nth(1).waitFor();
  const first = await page.locator('#schedule tbody tr').nth(1).locator('td').allTextContents();
  assert.equal(first[5], '+5 min');
  assert.match(first[4], /^2\/\d$/);
  const schedule = await downloaded('#export-schedule');
  assert.match(schedule.text.replace(/^\uFEFF/, ''), /^day,action,alias,location,slice,of,start_min,amount,est_quantity,order_type\n1,sell,[^,]+,[^,]+,1,\d,0,/);
});

test('a share link shows the same plan in a fresh browser; a damaged one shows only an error', async () => {
  await page.click('#share-full');
  const link = await page.inputValue('#share-link');
  assert.match(link, /\/shared#v1\./);
  const onScreen = (await page.locator('#actions tbody tr.sell, #actions tbody tr.buy').allTextContents()).length;

  const fresh = await newContext(env);
  const other = await openApp(fresh, env, link.slice(env.base.length));
  await other.waitForSelector('#shared-actions');
  assert.equal(await other.locator('#shared-actions tbody tr').count(), onScreen);
  const exported = JSON.parse((await downloaded('#export-json')).text);
  const first = await other.locator('#shared-actions tbody tr').first().locator('td').allTextContents();
  assert.equal(first[1], exported.actions[0].alias);
  assert.equal(first[5], Math.abs(exported.actions[0].usd).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

  // Percent only: no amounts anywhere.
  await page.click('#share-percent');
  const pct = await page.inputValue('#share-link');
  await other.goto(pct);
  await other.waitForSelector('#shared-actions');
  assert.doesNotMatch(await other.locator('#shared-actions thead').textContent(), /Amount/);
  assert.match(await other.locator('#shared-plan').textContent(), /percent only/);

  // Damaged, truncated, foreign and hostile links: an error and nothing else.
  const fragment = link.split('#')[1];
  const damaged = [
    fragment.slice(0, fragment.length / 2),
    fragment.replace(/.(?=.{10}$)/, (c) => (c === 'A' ? 'B' : 'A')),
    'v2.' + fragment.slice(3),
    '<img src=x onerror=alert(1)>',
    'v1.' + Buffer.from('{"v":1}').toString('base64url'),
  ];
  for (const bad of damaged) {
    await other.goto(`${env.base}/shared#${bad}`);
    await other.waitForSelector('#shared-error');
    assert.match(await other.locator('#shared-error').textContent(), /link/);
    assert.equal(await other.locator('#shared-actions').count(), 0, bad);
  }
  assert.deepEqual(other.errors, []);
  await fresh.close();
});

test('unknown symbols can be assigned from the plan, and modes and freezes change it', async () => {
  // The demo's VIRTUAL (VIRTUAL2) is not in the taxonomy.
  await page.selectOption('#assign-virtual', 'AI/Data');
  await page.locator('.unknown-panel li', { hasText: 'VIRTUAL' }).getByRole('button', { name: 'Assign group' }).click();
  await page.waitForFunction(() => !document.querySelector('.unknown-panel')?.textContent.includes('VIRTUAL'));

  await page.selectOption('#plan-mode', 'cash-flow');
  await page.fill('#plan-flow', '10000');
  await page.press('#plan-flow', 'Tab');
  await page.waitForFunction(() => document.querySelectorAll('#actions tbody tr.sell').length === 0 && document.querySelectorAll('#actions tbody tr.buy').length > 0);
  const plan = JSON.parse((await downloaded('#export-json')).text);
  const invested = plan.actions.reduce((s, a) => s + a.usd + a.fee, 0);
  assert.ok(Math.abs(invested - 10000) < 1e-6, `deposit placed: ${invested}`);

  await page.selectOption('#freeze', 'full');
  await page.waitForFunction(() => /frozen/.test(document.querySelector('#plan-status')?.textContent ?? ''));
  await page.selectOption('#freeze', 'none');
  await page.selectOption('#plan-mode', 'full');
  await page.fill('#band-abs', '50');
  await page.press('#band-abs', 'Tab');
  await page.waitForFunction(() => /inside its drift band/.test(document.querySelector('#plan-status')?.textContent ?? ''));
  await page.fill('#band-abs', '');
  await page.press('#band-abs', 'Tab');
  await page.waitForFunction(() => /trade\(s\)/.test(document.querySelector('#plan-status')?.textContent ?? ''));
});

test('a saved plan goes from draft to executed and stays so after a reload', async () => {
  const total = async () => {
    await page.getByRole('link', { name: 'Holdings', exact: true }).click();
    return page.locator('#grand-total').textContent();
  };
  await page.click('#save-plan');
  await page.waitForSelector('#saved-plans li[data-state="Draft"]');
  await page.locator('#saved-plans li').first().getByRole('button', { name: 'Approve' }).click();
  await page.waitForSelector('#saved-plans li[data-state="Approved"]');
  const holdingsBefore = await total();
  await page.getByRole('link', { name: 'Rebalance', exact: true }).click();
  await page.locator('#saved-plans li').first().getByRole('button', { name: 'Mark executed' }).click();
  await page.waitForSelector('#saved-plans li[data-state="Executed"]');
  assert.equal(await page.locator('#saved-plans li[data-state="Executed"] button').count(), 0);
  await page.reload();
  await page.waitForSelector('#saved-plans li[data-state="Executed"]');
  assert.match(await page.locator('#saved-plans li').first().textContent(), /Draft .* → Approved .* → Executed/);
  // Targets were kept too, and marking the plan executed did not change the holdings.
  assert.equal(await page.inputValue('#target-group-btc'), '40.00');
  assert.equal(await total(), holdingsBefore);
});
