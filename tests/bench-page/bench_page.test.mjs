// End-to-end test of the bench page, which only the bench build has (cargo feature `bench`):
// run by `make bench` (`make bench-page`) on dist-bench/ before it measures anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, newContext, openApp, FIXTURES } from '../e2e/harness.mjs';
import { join } from 'node:path';

let env;
let page;

before(async () => {
  env = await start();
  page = await openApp(await newContext(env), env, '/bench');
});

after(async () => {
  assert.deepEqual(env.external, [], 'no request left the page');
  assert.deepEqual(page.errors, [], 'no uncaught errors in the page');
  await env.close();
});

const fixture = (name) => join(FIXTURES, name);

test('the bench page (make bench) times the importer, the plan and the risk report, each on its own button', async () => {
  await page.setInputFiles('#bench-files', fixture('ct_balance_by_exchange.csv'));
  // Each run's results carry its number, so a run never reads the one before.
  const run = async (button, n) => {
    await page.click(button);
    return JSON.parse(await page.locator(`#bench-results[data-run="${n}"]`).textContent({ timeout: 60000 }));
  };
  const imported = await run('#bench-import', 1);
  assert.deepEqual(Object.keys(imported).sort(), ['import', 'phases']);
  const file = imported.import['ct_balance_by_exchange.csv'];
  assert.equal(file.rows, 8);
  assert.equal(file.holdings, 6); // as tests/import_fixtures.rs: 8 rows read, 6 imported
  // At least 5 timed runs and 3 s, the worker's time of each run inside its round trip.
  assert.ok(file.runs >= 5 && file.times_ms.reduce((a, b) => a + b, 0) >= 3000, JSON.stringify(file));
  assert.equal(file.worker.times_ms.length, file.runs);
  assert.ok(file.worker.times_ms.every((t, i) => t >= 0 && t <= file.times_ms[i]));

  const plan = await run('#bench-rebalance', 2);
  assert.deepEqual(Object.keys(plan).sort(), ['phases', 'rebalance_plan']);
  assert.equal(plan.rebalance_plan.runs, 30);
  assert.ok(plan.rebalance_plan.actions > 0);

  const risk = await run('#bench-risk', 3);
  assert.deepEqual(Object.keys(risk).sort(), ['phases', 'risk_report_worker']);
  assert.equal(risk.risk_report_worker.runs, 3);
  assert.equal(risk.risk_report_worker.paths, 100000);
  const [from, to] = risk.phases.risk_report_worker;
  assert.ok(to - from >= risk.risk_report_worker.times_ms.reduce((a, b) => a + b, 0));
});
