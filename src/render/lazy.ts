/**
 * `render` with each format's renderer loaded when it is used: `--json` loads neither cli-table3, chalk,
 * string-width nor csv-stringify (a third of the modules a JSON report loaded), and builds no tables.
 */
import type { Format, RenderOptions, TableData } from './types.js';

export async function renderLazy(format: Format, payload: unknown, tables: () => TableData[], opts: RenderOptions): Promise<string> {
  if (format === 'json') return (await import('./json.js')).renderJson(payload);
  return (await import('./index.js')).render(format, payload, tables(), opts);
}
