// End-to-end: the risk page on the demo profile with 120 days of fixture closes (served by
// the intercepted CoinGecko market_chart), checked against the same metrics computed here in
// JavaScript from the fixture's price path; the report comes from a Web Worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, newContext, openApp, providerMocks, historyFactor } from './harness.mjs';

const DAY = 86400000;
let env;
let page;
const requested = [];

before(async () => {
  env = await start();
  const context = await newContext(env, providerMocks({ historyDays: 120 }));
  page = await openApp(context, env);
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.waitForFunction(() => !document.querySelector('#price-status')?.textContent.includes('updating'), null, { timeout: 30000 });
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.click('#load-history');
  await page.waitForFunction(() => /Daily history for/.test(document.querySelector('#history-status')?.textContent ?? ''), null, { timeout: 60000 });
  await page.getByRole('link', { name: 'Risk', exact: true }).click();
  await page.waitForSelector('#risk-metrics, #risk-error', { timeout: 60000 });
});

after(async () => {
  assert.deepEqual(env.external, [], 'no request left the page');
  assert.deepEqual(page.errors, [], 'no uncaught errors (panics) in the page');
  await env.close();
});

async function downloaded(selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFileSync(await d.path(), 'utf8');
}

const mean = (x) => x.reduce((a, b) => a + b, 0) / x.length;
const std = (x) => { const m = mean(x); return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1)); };
function percentile(x, p) {
  const v = [...x].sort((a, b) => a - b);
  const h = (v.length - 1) * p;
  const lo = Math.floor(h);
  return v[lo] + (h - lo) * (v[Math.ceil(h)] - v[lo]);
}
function maxDrawdown(r) {
  let w = 1, peak = 1, worst = 0;
  for (const x of r) { w *= 1 + x; peak = Math.max(peak, w); worst = Math.min(worst, w / peak - 1); }
  return worst;
}
const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1e-6, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('the risk page shows the metrics of the known portfolio, computed in a worker, and the JSON matches', async () => {
  assert.equal(await page.locator('#risk-error').count(), 0, await page.locator('#risk-error').textContent().catch(() => ''));
  assert.ok(requested.includes('/risk_worker_loader.js'), 'the report came from the Web Worker');
  const doc = JSON.parse(await downloaded('#export-risk-json'));
  const r = doc.report;
  // 120 daily closes shared by every coin: 119 returns; crypto only, so 365 periods a year.
  assert.equal(r.points, 119);
  assert.equal(r.annualisation, 365);
  const today = Math.floor(Date.now() / DAY) * DAY;
  const dates = r.drawdown.map((d) => d[0]);
  const port = dates.map((date) => {
    const back = Math.round((today - Date.parse(date + 'T00:00:00Z')) / DAY);
    return r.weights.reduce((s, [sym, w]) => s + w * (historyFactor(sym, back) / historyFactor(sym, back + 1) - 1), 0);
  });
  const metric = (name) => r.metrics.find((m) => m.name === name).value;
  near(metric('Annual volatility'), std(port) * Math.sqrt(365), 'volatility');
  near(metric('Max drawdown'), maxDrawdown(port), 'max drawdown');
  near(metric('Sharpe ratio'), (mean(port) / std(port)) * Math.sqrt(365), 'Sharpe');
  const hist95 = r.var.find((v) => v.method.startsWith('Historical') && v.confidence === 0.95 && v.horizon === 1);
  near(hist95.var, percentile(port, 0.05), 'historical VaR 95');
  const z95 = -1.6448536269514722;
  const param95 = r.var.find((v) => v.method.startsWith('Parametric') && v.confidence === 0.95 && v.horizon === 1);
  near(param95.var, mean(port) + z95 * std(port), 'parametric VaR 95');
  const mc = r.var.find((v) => v.method.startsWith('Monte') && v.confidence === 0.95 && v.horizon === 1);
  assert.ok(Math.abs(mc.var - param95.var) < 0.1 * Math.abs(param95.var), `Monte Carlo ${mc.var} near normal ${param95.var}`);
  assert.equal(r.var.length, 16);

  // The page shows the same numbers, with methods and the window.
  const row = (name) => page.locator('#risk-metrics tr', { has: page.locator(`th:text-is("${name}")`) }).locator('td').first().textContent();
  assert.equal(await row('Annual volatility'), `${(metric('Annual volatility') * 100).toFixed(2)} %`);
  assert.equal(await row('Max drawdown'), `${(metric('Max drawdown') * 100).toFixed(2)} %`);
  assert.match(await page.locator('#risk-window-line').textContent(), /^119 daily returns from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(window 365 days\), annualised with 365/);
  assert.equal(await page.locator('#risk-score-value').textContent(), r.risk_score.value.toFixed(1));
  assert.equal(await page.locator('#risk-var tbody tr').count(), 16);
  assert.equal(await page.locator('#risk-stress tbody tr').count(), 6);
  for (const id of ['#chart-drawdown', '#chart-rolling-vol', '#chart-mc', '#chart-corr']) {
    assert.equal(await page.locator(id).count(), 1, id);
  }
  // Contributions: percent of volatility sums to 100 %.
  const contribution = r.contributions.reduce((a, c) => a + c[3], 0);
  assert.ok(Math.abs(contribution - 1) < 1e-9, `contributions sum to ${contribution}`);
  // A custom scenario: BTC −50 %, nothing else.
  const btc = r.stress[0].groups.find((g) => g[0] === 'BTC');
  await page.fill('#custom-shock-btc', '-50');
  const money = (x) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  await page.waitForFunction((t) => document.querySelector('#custom-stress-total')?.textContent.startsWith(t), `Total change ${money(-btc[1] / 2)}`);
  const csv = await downloaded('#export-risk-csv');
  assert.match(csv.replace(/^\uFEFF/, ''), /^section,name,value,unit,method\n/);
  assert.ok(csv.includes(`metric,Annual volatility,${metric('Annual volatility')},fraction,`));
});

test('settings recompute the report with progress, and too little history says so', async () => {
  await page.selectOption('#risk-paths', '100000');
  await page.waitForSelector('#risk-busy');
  await page.waitForSelector('#risk-busy', { state: 'detached', timeout: 60000 });
  assert.match(await page.locator('#risk-var').textContent(), /100000 paths/);
  await page.fill('#risk-window', '20');
  await page.press('#risk-window', 'Tab');
  await page.waitForSelector('#risk-error');
  assert.match(await page.locator('#risk-error').textContent(), /at least 30 are needed/);
});
