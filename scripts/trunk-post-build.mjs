// Trunk's post_build hook (Trunk.toml): finishes the staged build that `trunk build` and
// `trunk serve`, debug or release, then move into the dist folder. In order:
// 1. the whole app's module (built by Trunk like a worker, so under fixed names) gets
//    content-hashed names, as Trunk gives the first page's, and a <meta name="folio-module">;
// 2. each module's <meta> says which addresses it serves: the first page's its own address
//    (`FIRST_PAGE_PATH` in src/ui/routes.rs), the whole app's every other ("*");
//    index.html's loader picks the module by it;
// 3. under `trunk serve`, Trunk's inline auto-reload script moves to a file of its own, so that
//    the policy below holds in development too (the page's only inline script stays the loader);
// 4. a strict Content-Security-Policy: the loader allowed by its SHA-256 hash, nothing from
//    other origins but the price and FX providers;
// 5. the service worker (public/sw.js) with the list of every file of the build and their
//    hashes (scripts/precache.mjs), last, once every file is final; under `trunk serve` it
//    caches nothing, so that development always sees the latest build.
// Trunk runs a stage's hooks at the same time: these steps are one hook so that they run in order.
// Environment (set by Trunk): TRUNK_STAGING_DIR, TRUNK_SOURCE_DIR, TRUNK_PUBLIC_URL.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeServiceWorker } from './precache.mjs';

const APP = 'folio';
const staging = need('TRUNK_STAGING_DIR');
const source = need('TRUNK_SOURCE_DIR');
const base = need('TRUNK_PUBLIC_URL').replace(/\/?$/, '/');
const index = join(staging, 'index.html');

let html = readFileSync(index, 'utf8');
html = markModules(html, appModule(), firstPagePath());
const served = html.includes('.well-known/trunk/ws');
html = autoReloadScript(html);
html = contentSecurityPolicy(html);
writeFileSync(index, html);
writeServiceWorker({ dir: staging, template: join(source, 'public', 'sw.js'), precache: !served });

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: this script is Trunk's post_build hook (see Trunk.toml)`);
  return value;
}

/** Renames the whole app's module to content-hashed names; its <meta>. */
function appModule() {
  const js = join(staging, `${APP}.js`);
  const wasm = join(staging, `${APP}_bg.wasm`);
  const hash = createHash('sha256').update(readFileSync(js)).update(readFileSync(wasm)).digest('hex').slice(0, 16);
  // The loader passes the wasm's address to the glue, so the glue needs no edit.
  renameSync(js, join(staging, `${APP}-${hash}.js`));
  renameSync(wasm, join(staging, `${APP}-${hash}_bg.wasm`));
  return `<meta name="folio-module" content="${base}${APP}-${hash}.js" data-wasm="${base}${APP}-${hash}_bg.wasm" data-path="*">`;
}

/** The first page's address, read from its one definition in the Rust code. */
function firstPagePath() {
  const file = join(source, 'src', 'ui', 'routes.rs');
  const found = readFileSync(file, 'utf8').match(/^pub const FIRST_PAGE_PATH: &str = "(\/[^"\\]*)";$/m);
  if (!found) throw new Error(`${file}: no line \`pub const FIRST_PAGE_PATH: &str = "/…";\` to read the first page's address from`);
  return found[1];
}

/** Marks the first page's <meta> (the one Trunk wrote, Trunk.toml's pattern_script) with its address and puts the app's beside it. */
function markModules(html, appMeta, path) {
  const metas = html.match(/<meta name="folio-module" [^>]*>/g) ?? [];
  if (metas.length !== 1) throw new Error(`${index}: expected Trunk's one first-page <meta name="folio-module">, found ${metas.length}`);
  return html.replace(metas[0], `${metas[0].replace(/>$/, ` data-path="${path}">`)}\n    ${appMeta}`);
}

/** Under `trunk serve`: Trunk's auto-reload script, inline at the end of the body, moved to a file. */
function autoReloadScript(html) {
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].find((m) => m[1].includes('.well-known/trunk/ws'));
  if (!inline) return html;
  // Trunk's server fills these in HTML only (with the request's Host): fill them here instead.
  const body = inline[1]
    .replace(/(['`])\{\{__TRUNK_ADDRESS__\}\}\1/g, 'window.location.host')
    .replace(/\{\{__TRUNK_WS_BASE__\}\}/g, base);
  writeFileSync(join(staging, 'trunk-autoreload.js'), body);
  return html.replace(inline[0], `<script src="${base}trunk-autoreload.js"></script>`);
}

/** The Content-Security-Policy <meta>, first in <head>, with the hash of every inline script. */
function contentSecurityPolicy(html) {
  html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1])
    .filter((body) => body.trim().length > 0)
    .map((body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  const policy = [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // The only traffic that leaves the page: the price and FX providers ('self' also allows
    // `trunk serve`'s auto-reload WebSocket, on the page's own host).
    "connect-src 'self' https://api.coingecko.com https://data-api.binance.vision https://api.exchange.coinbase.com https://api.frankfurter.dev https://api.twelvedata.com",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
  return html.replace(/<head>/, `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}">`);
}
