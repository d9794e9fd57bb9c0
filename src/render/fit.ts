/**
 * Fitting a table to the terminal: which columns to hide and how wide names may be. Pure: widths in, a plan out.
 * The order: names longer than NAME_CAP are shortened first, then columns are hidden by their `drop` rank (1
 * first: cache columns in reports), then names are shortened further, down to NAME_MIN. Columns without a rank
 * are never hidden; a table that still does not fit is printed as it is.
 */
import stringWidth from 'string-width';

/** Names are cut to this many columns before any column is hidden. */
export const NAME_CAP = 40;
/** ... and to no fewer than this many to make room. */
const NAME_MIN = 12;

export interface FitColumn {
  header: string;
  /** Text columns (names) can be shortened; the others keep their width. */
  text: boolean;
  /** Hidden in rank order (1 first) when the table is too wide; undefined: never hidden. */
  drop?: number | undefined;
}

export interface Fit {
  /** Indexes of the columns kept, in order. */
  keep: number[];
  /** The widest a kept column's cells may be (display columns); undefined: as wide as they are. */
  maxWidth: (number | undefined)[];
  /** Headers of the hidden columns, in the order they were hidden. */
  hidden: string[];
  /** Some names were shortened. */
  shortened: boolean;
}

/** Display width of a table drawn by cli-table3 with these inner column widths: "│ " … " │ " … " │". */
export const tableWidth = (inner: readonly number[]): number => 1 + inner.reduce((n, w) => n + w + 3, 0);

/**
 * The plan for a table whose columns are `natural` display columns wide (widest cell or header) to fit `columns`.
 */
export function fitTable(cols: readonly FitColumn[], natural: readonly number[], columns: number): Fit {
  const all = cols.map((_, i) => i);
  const none: Fit = { keep: all, maxWidth: cols.map(() => undefined), hidden: [], shortened: false };
  if (tableWidth(natural) <= columns) return none;
  const width = natural.slice();
  const floor = cols.map((c, i) => (c.text ? Math.min(natural[i] ?? 0, Math.max(NAME_MIN, stringWidth(c.header))) : (natural[i] ?? 0)));
  const kept = new Set(all);
  const current = (): number => tableWidth(all.filter((i) => kept.has(i)).map((i) => width[i] ?? 0));
  // 1. Names over NAME_CAP.
  all.forEach((i) => {
    if (cols[i]?.text) width[i] = Math.max(floor[i] ?? 0, Math.min(width[i] ?? 0, NAME_CAP));
  });
  // 2. Columns by rank.
  const hidden: string[] = [];
  const ranked = all.filter((i) => cols[i]?.drop !== undefined).sort((a, b) => (cols[a]?.drop ?? 0) - (cols[b]?.drop ?? 0));
  for (const i of ranked) {
    if (current() <= columns) break;
    kept.delete(i);
    hidden.push(cols[i]?.header ?? '');
  }
  // 3. The widest name, one column at a time, down to its floor.
  while (current() > columns) {
    let widest = -1;
    for (const i of all) {
      if (!kept.has(i) || !cols[i]?.text || (width[i] ?? 0) <= (floor[i] ?? 0)) continue;
      if (widest < 0 || (width[i] ?? 0) > (width[widest] ?? 0)) widest = i;
    }
    if (widest < 0) break;
    width[widest] = (width[widest] ?? 0) - 1;
  }
  const keep = all.filter((i) => kept.has(i));
  const maxWidth = keep.map((i) => ((width[i] ?? 0) < (natural[i] ?? 0) ? width[i] : undefined));
  return { keep, maxWidth, hidden, shortened: maxWidth.some((w) => w !== undefined) };
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** `s` cut in the middle to at most `max` display columns, with "…" where the middle was: "claude-so…20250929". */
export function truncateMiddle(s: string, max: number): string {
  if (stringWidth(s) <= max) return s;
  const parts = [...segmenter.segment(s)].map((g) => g.segment);
  const room = Math.max(0, max - 1);
  const headRoom = Math.ceil(room / 2);
  let head = '';
  let used = 0;
  for (const p of parts) {
    const w = stringWidth(p);
    if (used + w > headRoom) break;
    head += p;
    used += w;
  }
  let tail = '';
  let tailUsed = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i] ?? '';
    const w = stringWidth(p);
    if (used + tailUsed + w > room) break;
    tail = p + tail;
    tailUsed += w;
  }
  return `${head}…${tail}`;
}
