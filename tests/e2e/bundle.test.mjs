// What the build users get ships: the first page within its download budget, the CSS within
// the design system's, the Content-Security-Policy written by Trunk's post_build hook, and no
// bench page (cargo feature `bench`, off in this build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { start, newContext, openApp, DIST, ROOT } from './harness.mjs';

const KB = 1024;
const FIRST_PAGE_BUDGET = 400 * KB;
const CSS_BUDGET = 6 * KB;

let env;

before(async () => {
  env = await start();
});

after(async () => {
  assert.deepEqual(env.external, [], 'no request left the page');
  await env.close();
});

/** A first visit to `/`: every file the browser downloaded before the first holdings table
 * showed (as bench/browser.mjs measures it), with its raw and gzip (level 9) sizes. */
async function firstVisit() {
  const context = await newContext(env);
  await context.addInitScript(() => {
    const seen = () => {
      if (window.__firstTable === undefined && document.querySelector('#holdings-table tbody tr')) window.__firstTable = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  });
  const loaded = [];
  context.on('response', async (r) => {
    if (!r.url().startsWith(env.base)) return;
    try {
      const body = await r.body();
      loaded.push({ path: new URL(r.url()).pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    } catch { /* redirects have no body */ }
  });
  const page = await openApp(context, env);
  await page.waitForFunction(() => window.__firstTable !== undefined);
  const before = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.startTime < window.__firstTable).map((e) => new URL(e.name).pathname));
  const needed = new Set(['/', ...before]);
  const files = [...new Map(loaded.filter((f) => needed.has(f.path)).map((f) => [f.path, f])).values()];
  assert.deepEqual(page.errors, []);
  await context.close();
  return files;
}

const sum = (files) => files.reduce((s, f) => s + f.gzip, 0);
const show = (files) => files.map((f) => `${f.path} ${(f.gzip / KB).toFixed(1)} KB gzip`).join(', ');

test('the first page downloads at most 400 KB gzip of wasm and JS before its first table, and at most 6 KB gzip of CSS', async () => {
  const files = await firstVisit();
  const code = files.filter((f) => /\.(wasm|js)$/.test(f.path));
  const css = files.filter((f) => f.path.endsWith('.css'));
  // The measure sees the first page's module (its glue and wasm) and the stylesheet.
  assert.ok(code.some((f) => /^\/first_page-[0-9a-f]+_bg\.wasm$/.test(f.path)), show(files));
  assert.ok(code.some((f) => /^\/first_page-[0-9a-f]+\.js$/.test(f.path)), show(files));
  assert.ok(css.length > 0, show(files));
  assert.ok(sum(code) <= FIRST_PAGE_BUDGET, `first page: ${(sum(code) / KB).toFixed(1)} KB gzip of wasm + JS, over the 400 KB budget: ${show(code)}`);
  assert.ok(sum(css) <= CSS_BUDGET, `CSS: ${(sum(css) / KB).toFixed(1)} KB gzip, over the 6 KB budget: ${show(css)}`);
});

test('the built page carries a strict Content-Security-Policy that allows its one inline script by hash', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];
  assert.ok(policy, 'a CSP <meta> in index.html');
  const directives = Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(inline.length, 1, 'one inline script: the loader');
  const hash = `'sha256-${createHash('sha256').update(inline[0], 'utf8').digest('base64')}'`;
  assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'", hash]);
  assert.ok(!policy.includes('unsafe-inline'), policy);
  // Each module's <meta> says which addresses it serves: the first page's "/", the app's any other.
  const modules = [...html.matchAll(/<meta name="folio-module" content="\/([a-z_]+)-[0-9a-f]+\.js" data-wasm="[^"]+" data-path="([^"]+)">/g)]
    .map((m) => [m[1], m[2]]);
  assert.deepEqual(modules, [['first_page', '/'], ['folio', '*']]);
});

test('the build users get has no bench page', async () => {
  // A string only the bench page holds (its database's name), checked to still be there.
  const marker = 'folio-bench';
  assert.ok(readFileSync(join(ROOT, 'src', 'ui', 'pages', 'bench.rs'), 'utf8').includes(`"${marker}"`));
  const wasm = readdirSync(DIST).filter((f) => f.endsWith('.wasm'));
  assert.ok(wasm.length >= 4, `wasm modules: ${wasm.join(', ')}`);
  for (const file of wasm) assert.ok(!readFileSync(join(DIST, file)).includes(marker), `${file} holds the bench page ("${marker}")`);
  const context = await newContext(env);
  const page = await context.newPage();
  await page.goto(`${env.base}/bench`);
  await page.waitForSelector('main p:text-is("This page does not exist.")');
  await context.close();
});
