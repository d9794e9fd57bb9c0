import { sql as m0001 } from './0001_init.js';

/** Every migration in order. Ids are forward-only; the built package ships them as modules. */
export const migrations: readonly { id: number; name: string; sql: string }[] = [{ id: 1, name: '0001_init', sql: m0001 }];
