/** A format-neutral table that the table, markdown and CSV renderers all draw from. */
/** usd4: money shown with 4 decimals (per-request averages). */
export type CellKind = 'text' | 'int' | 'usd' | 'usd4' | 'pct';
export type Cell = string | number | bigint | null | undefined;

export interface Column {
  key: string;
  header: string;
  kind: CellKind;
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
}
