// Gives the whole app's module (built by Trunk like a worker, so under fixed names) content-
// hashed names, as Trunk does for the first page's, and writes its <meta name="folio-module">
// into index.html for the loader there. Usage: node scripts/app-module.mjs dist
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const name = 'folio';
const js = join(dist, `${name}.js`);
const wasm = join(dist, `${name}_bg.wasm`);
const hash = createHash('sha256').update(readFileSync(js)).update(readFileSync(wasm)).digest('hex').slice(0, 16);
// The loader passes the wasm's address to the glue, so the glue needs no edit.
renameSync(js, join(dist, `${name}-${hash}.js`));
renameSync(wasm, join(dist, `${name}-${hash}_bg.wasm`));
const index = join(dist, 'index.html');
let html = readFileSync(index, 'utf8').replace(/\s*<meta name="folio-module" content="\/folio-[^"]*"[^>]*>/g, '');
const meta = `<meta name="folio-module" content="/${name}-${hash}.js" data-wasm="/${name}-${hash}_bg.wasm">`;
if (!/<meta name="folio-module" content=/.test(html)) throw new Error(`${index}: no first-page module <meta> to put the app's beside`);
html = html.replace(/(<meta name="folio-module" content=[^>]*>)/, `$1\n    ${meta}`);
writeFileSync(index, html);
console.log(`app module: /${name}-${hash}.js`);
