import { start, newContext } from './tests/e2e/harness.mjs';
const env = await start();
const OBS = () => { const seen = () => { if (window.__firstTable === undefined && document.querySelector('#holdings-table tbody tr')) window.__firstTable = performance.now(); }; new MutationObserver(seen).observe(document, { childList: true, subtree: true }); };
for (let i = 0; i < 6; i++) {
  const ctx = await newContext(env);
  await ctx.addInitScript(OBS);
  const p = await ctx.newPage();
  await p.goto(env.base + '/');
  await p.waitForFunction(() => window.__firstTable !== undefined, null, { timeout: 60000 });
  const t = await p.evaluate(() => ({ first: window.__firstTable, nav: (({responseEnd, domInteractive, domContentLoadedEventEnd}) => [responseEnd, domInteractive, domContentLoadedEventEnd].map(Math.round))(performance.getEntriesByType('navigation')[0]), css: performance.getEntriesByType('resource').filter(e => /css/.test(e.name)).map(e => [Math.round(e.startTime), Math.round(e.responseEnd)]), res: performance.getEntriesByType('resource').filter(e => /wasm|\.js/.test(e.name)).map(e => [e.name.split('/').pop().slice(0,12), Math.round(e.startTime), Math.round(e.responseEnd)]) }));
  await p.reload();
  await p.waitForFunction(() => window.__firstTable !== undefined, null, { timeout: 60000 });
  const r = await p.evaluate(() => window.__firstTable);
  console.log(Math.round(t.first), Math.round(r), JSON.stringify(t.nav), JSON.stringify(t.css), JSON.stringify(t.res));
  await ctx.close();
}
await env.close();
