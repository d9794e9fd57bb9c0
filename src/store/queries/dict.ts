/** The string dictionary of schema migration 3: each dimension value is stored once, rows hold its integer id. */
import type { Db, Statement } from '../db.js';

/** Cached ids at most: values that repeat stay cached; a column of unique values (tags with a request id) cannot grow it without bound. */
const MAX_CACHED = 20_000;

export class Dict {
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();
  private readonly find: Statement;
  private readonly name: Statement;
  private add: Statement | undefined;

  constructor(private readonly db: Db) {
    this.find = db.prepare('SELECT id FROM dict WHERE value = ?').pluck();
    this.name = db.prepare('SELECT value FROM dict WHERE id = ?').pluck();
  }

  /** The id of a stored value, or undefined: never writes (read commands, filters). */
  lookup(value: string): number | undefined {
    const known = this.ids.get(value);
    if (known !== undefined) return known;
    const id = this.find.get(value) as number | undefined;
    if (id !== undefined) this.remember(value, id);
    return id;
  }

  /** The id of `value`, added inside the caller's write transaction when new. Call `forget` after a rollback. */
  id(value: string): number {
    const found = this.lookup(value);
    if (found !== undefined) return found;
    this.add ??= this.db.prepare('INSERT INTO dict (value) VALUES (?)');
    const id = Number(this.add.run(value).lastInsertRowid);
    this.remember(value, id);
    return id;
  }

  private remember(value: string, id: number): void {
    if (this.ids.size >= MAX_CACHED) this.ids.clear();
    this.ids.set(value, id);
  }

  idOrNull(value: string | null): number | null {
    return value === null ? null : this.id(value);
  }

  /** The value of an id ('' for NULL, as the text columns stored an absent dimension). */
  value(id: number | bigint | null | undefined): string {
    if (id === null || id === undefined) return '';
    const n = Number(id);
    const known = this.names.get(n);
    if (known !== undefined) return known;
    const v = this.name.get(n) as string | undefined;
    if (v === undefined) throw new Error(`dict: no value for id ${n}`);
    this.names.set(n, v);
    return v;
  }

  /** Drops cached ids: values added by a transaction that was rolled back are gone, and their ids may be reused. */
  forget(): void {
    this.ids.clear();
    this.names.clear();
  }
}

const dicts = new WeakMap<Db, Dict>();

/** The dictionary of a read connection (its cache lives as long as the connection). */
export function dictOf(db: Db): Dict {
  let d = dicts.get(db);
  if (!d) {
    d = new Dict(db);
    dicts.set(db, d);
  }
  return d;
}

/** SQL for "the id of this bound value" in a WHERE clause: NULL (matching nothing) when no row has it. */
export const DICT_ID = '(SELECT id FROM dict WHERE value = ?)';
