import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import type { Format, RenderOptions, TableData } from './types.js';

/**
 * Renders a command's result. JSON gets the command's typed payload; the other formats get its tables.
 * CSV carries one table (the first) so the output stays one valid CSV document.
 */
export function render(format: Format, payload: unknown, tables: TableData[], opts: RenderOptions): string {
  switch (format) {
    case 'json':
      return renderJson(payload);
    case 'csv':
      return tables[0] ? renderCsv(tables[0]) : '';
    case 'markdown':
      return tables.map(renderMarkdown).join('\n\n');
    default:
      return tables.map((t) => renderTable(t, opts)).join('\n\n');
  }
}
