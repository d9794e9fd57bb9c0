// tsc emits only .js; the price catalog is data and ships beside the compiled pricing module.
import { copyFileSync, mkdirSync } from 'node:fs';

const assets = [['src/pricing/catalog.json', 'dist/pricing/catalog.json']];
for (const [from, to] of assets) {
  mkdirSync(to.slice(0, to.lastIndexOf('/')), { recursive: true });
  copyFileSync(from, to);
}
