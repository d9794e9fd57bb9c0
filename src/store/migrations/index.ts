import { sql as m0001 } from './0001_init.js';
import { sql as m0002 } from './0002_day_only.js';
import { sql as m0003 } from './0003_compact.js';
import { sql as m0004 } from './0004_tags.js';
import { sql as m0005 } from './0005_health.js';
import { sql as m0006 } from './0006_tag_rollup.js';
import { sql as m0009 } from './0009_short_keys.js';

/** Every migration in order. Ids are forward-only and need not be contiguous (ids are matched, never counted); the built package ships them as modules. */
export const migrations: readonly { id: number; name: string; sql: string }[] = [
  { id: 1, name: '0001_init', sql: m0001 },
  { id: 2, name: '0002_day_only', sql: m0002 },
  { id: 3, name: '0003_compact', sql: m0003 },
  { id: 4, name: '0004_tags', sql: m0004 },
  { id: 5, name: '0005_health', sql: m0005 },
  { id: 6, name: '0006_tag_rollup', sql: m0006 },
  { id: 9, name: '0009_short_keys', sql: m0009 },
];
