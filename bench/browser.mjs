// Drives the app's bench page (/bench, not linked from the navigation) in headless Chromium
// and prints its JSON results. Usage: node bench/browser.mjs [out.json]
import { writeFileSync } from 'node:fs';
import { start } from '../tests/e2e/harness.mjs';

const env = await start();
try {
  const context = await env.browser.newContext();
  await context.route('**/*', (route) =>
    route.request().url().startsWith(env.base) ? route.continue() : route.abort('blockedbyclient'));
  const page = await context.newPage();
  await page.goto(`${env.base}/bench?run=all`);
  await page.waitForSelector('#bench-results', { timeout: 600000 });
  const results = JSON.parse(await page.locator('#bench-results').textContent());
  results.browser = (await env.browser.version());
  const text = JSON.stringify(results, null, 2);
  if (process.argv[2]) writeFileSync(process.argv[2], text + '\n');
  console.log(text);
} finally {
  await env.close();
}
