/** Chooses the catalog a command prices with: the newest `prices update` snapshot, else the embedded one. */
import type { Db } from '../store/db.js';
import { latestCatalog } from '../store/queries/catalogs.js';
import { embeddedCatalog, loadUserPrices, validateCatalog, withSupplement } from './catalog.js';
import { Pricer, type PricerOptions } from './pricer.js';
import { withServiceTiers } from './service-tiers.js';
import type { Catalog } from './types.js';

export function activeCatalog(db: Db | undefined): Catalog {
  if (db) {
    const row = latestCatalog(db);
    if (row) return withServiceTiers(withSupplement(validateCatalog(JSON.parse(row.data), `price catalog ${row.kind} ${row.version}`)));
  }
  return embeddedCatalog();
}

/** The pricer of a command: the active catalog, the user's price file, and the config's inference profiles. */
export function makePricer(db: Db | undefined, pricesFile: string | undefined, options: PricerOptions = {}): Pricer {
  return new Pricer(activeCatalog(db), pricesFile ? loadUserPrices(pricesFile) : undefined, options);
}

/** One line per price-file entry that priced nothing and names no catalog model: a typo in its id or provider. */
export function unusedPriceWarnings(pricer: Pricer, scope: string): string[] {
  return pricer
    .unusedUserEntries()
    .map(
      (e) =>
        `Warning: ${pricer.userFile}: ${e.path} "${e.model.id}"${e.provider === '*' ? '' : ` (provider ${e.provider})`} matches no model in the catalog and no ${scope}: it prices nothing. Check its id, match and provider.\n`,
    );
}
