// Draws the app's PNG icons (the web app manifest's) from the SVGs in public/, in headless
// Chromium: icon.svg at 192 and 512 px, icon-maskable.svg (full bleed, the letter inside the
// central safe circle) at 512 px. Run after changing an SVG: node scripts/make_icons.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, ROOT } from '../tests/e2e/harness.mjs';

const PUBLIC = join(ROOT, 'public');
const ICONS = [
  ['icon.svg', 192, 'icon-192.png'],
  ['icon.svg', 512, 'icon-512.png'],
  ['icon-maskable.svg', 512, 'icon-maskable-512.png'],
];

const browser = await launchBrowser();
const page = await browser.newPage();
for (const [svg, size, png] of ICONS) {
  await page.setViewportSize({ width: size, height: size });
  const image = readFileSync(join(PUBLIC, svg), 'utf8').replace('<svg ', `<svg width="${size}" height="${size}" `);
  await page.setContent(`<style>html, body { margin: 0; background: transparent; } svg { display: block; }</style>${image}`);
  await page.screenshot({ path: join(PUBLIC, png), omitBackground: true });
  console.log(`public/${png}: ${size} × ${size} from public/${svg}`);
}
await browser.close();
