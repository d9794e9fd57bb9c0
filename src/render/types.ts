/** A format-neutral table that the table, markdown and CSV renderers all draw from. */
/** usd4: money shown with 4 decimals (per-request averages). */
export type CellKind = 'text' | 'int' | 'usd' | 'usd4' | 'pct';
export type Cell = string | number | bigint | null | undefined;

export interface Column {
  key: string;
  header: string;
  kind: CellKind;
  /**
   * When a table is too wide for the terminal, columns with a rank are hidden in rank order (1 first); columns
   * without one stay (text columns are shortened instead). See render/fit.ts.
   */
  drop?: number;
}

export interface TableData {
  title?: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** A totals row, drawn apart from the body. */
  footer?: Record<string, Cell>;
  /** What to print instead of an empty table. */
  empty?: string;
  /** Lines printed under the table (unpriced usage, assumptions). */
  notes?: string[];
  /**
   * The human table shows the first `limit` rows and a line saying how many more there are (0 or absent: all).
   * JSON, CSV and markdown always carry every row.
   */
  limit?: number;
}

export type Format = 'table' | 'json' | 'csv' | 'markdown';
export const FORMATS: readonly Format[] = ['table', 'json', 'csv', 'markdown'];

export interface RenderOptions {
  color: boolean;
  /**
   * The terminal's width when stdout is one (or LLMCOST_COLUMNS): tables drop and shorten columns to fit it and
   * charts are drawn to it. Undefined when the output is piped: tables print in full.
   */
  columns?: number | undefined;
  /** --wide: tables print in full even on a terminal. */
  wide?: boolean;
}
