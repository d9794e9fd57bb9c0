/** Chooses the catalog a command prices with: the newest `prices update` snapshot, else the embedded one. */
import type { Db } from '../store/db.js';
import { embeddedCatalog, loadUserPrices, validateCatalog, withSupplement } from './catalog.js';
import { Pricer } from './pricer.js';
import type { Catalog } from './types.js';

export function activeCatalog(db: Db | undefined): Catalog {
  if (db) {
    const row = db.prepare('SELECT data, kind, version FROM price_catalogs ORDER BY id DESC LIMIT 1').get() as
      | { data: string; kind: string; version: string }
      | undefined;
    if (row) return withSupplement(validateCatalog(JSON.parse(row.data), `price catalog ${row.kind} ${row.version}`));
  }
  return embeddedCatalog();
}

export function makePricer(db: Db | undefined, pricesFile: string | undefined): Pricer {
  return new Pricer(activeCatalog(db), pricesFile ? loadUserPrices(pricesFile) : undefined);
}
