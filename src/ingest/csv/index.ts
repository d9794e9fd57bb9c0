/** Generic CSV exports: streamed with csv-parse, one record per row, columns recognized by name. */
import { UserError } from '../../lib/errors.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { CSV_FIELDS, type CsvField, mapColumns, normalizeHeader, parseMapFlags } from './columns.js';
import { type CsvRowOptions, parseCsvRow } from './parse.js';
import { readCsvRows } from './rows.js';

export interface CsvOptions extends CsvRowOptions {
  map?: Partial<Record<CsvField, string>>;
  delimiter?: string;
}

async function* read(input: InputFile, options: CsvOptions): AsyncIterable<ParsedItem[]> {
  let header: string[] | undefined;
  let map: ReturnType<typeof mapColumns> | undefined;
  for await (const rows of readCsvRows(input, options.delimiter)) {
    const out: ParsedItem[] = [];
    for (const [line, cells] of rows) {
      if (!header || !map) {
        header = cells;
        map = mapColumns(header, options.map ?? {}, input.name);
        continue;
      }
      if (cells.length !== header.length) {
        out.push({
          issue: { file: input.name, line, message: `expected ${header.length} columns as in the header, found ${cells.length}` },
        });
        continue;
      }
      const r = parseCsvRow(cells, header, map, options);
      out.push('record' in r ? { record: r.record, line } : { issue: { file: input.name, line, ...r.issue } });
    }
    if (out.length > 0) yield out;
  }
  if (!header)
    throw new UserError(`${input.name}: the file is empty (no header row).`, { hint: 'Export the data again with a header row.' });
}

const MODEL_COLUMNS: readonly string[] = CSV_FIELDS.model;

export const csvAdapter: IngestAdapter<CsvOptions> = {
  id: 'csv',
  description: 'CSV exports with a header row (column names recognized, --map to override)',
  read,
  accepts: (n) => /\.(csv|tsv|txt)(\.gz)?$/i.test(n),
  // Usage CSVs need a model column; a header without one is prose with commas, not data.
  detect: (p) => !p.json && p.header.split(/[,\t;]/).some((c) => MODEL_COLUMNS.includes(normalizeHeader(c.replace(/"/g, '')))),
  generic: true,
  command: {
    description: 'CSV exports with a header row; columns are recognized by common names',
    argument: { name: '<paths...>', description: 'CSV files (.gz is read transparently), directories, or - for stdin' },
    options: [
      {
        flags: '--map <field=column>',
        description: 'say which column holds a field, e.g. --map timestamp=EventTime (repeatable)',
        repeatable: true,
      },
      { flags: '--delimiter <char>', description: 'field delimiter', default: ',' },
      { flags: '--cached-in-input', description: 'input token counts include cache reads/writes (OpenAI convention): subtract them' },
      { flags: '--preset <name>', description: 'cur: an AWS Cost and Usage Report (legacy or CUR 2.0 columns), stored as the bill' },
      { flags: '--all-services', description: 'with --preset cur: keep every service, not only Bedrock' },
    ],
    help: `
Recognized columns (case-insensitive; first match wins):
  timestamp  timestamp, date, time, created_at, start_time …   (ISO 8601, date only, epoch s/ms; no zone = UTC)
  model      model, model_id, model_name                        (required)
  tokens     input_tokens|prompt_tokens, output_tokens|completion_tokens, cache_read_tokens, cache_write_tokens
  who/what   user, customer|end_user, team, api_key (alias, never a secret), endpoint|feature|route, provider, region
  tags       tags|labels: a JSON array, or a;b / a,b; each "key:value", "key=value" or a plain tag
  other      requests (aggregated lines), cost|spend|cost_usd (kept as the reported cost), id|request_id,
             service_tier (standard|default, batch, flex, priority) combined with batch (true/false), inference_geo

Examples:
  llmcost ingest csv usage.csv
  llmcost ingest csv export.csv.gz --map timestamp=EventTime --map user=Owner --skip-invalid
  cat usage.csv | llmcost ingest csv -`,
    select(flags) {
      if (flags.preset !== undefined) {
        if (flags.preset !== 'cur') throw new UserError(`--preset ${String(flags.preset)}: the presets are: cur.`);
        return { source: 'cur', options: flags.allServices ? { allServices: true } : {} };
      }
      const options: CsvOptions = { map: parseMapFlags(Array.isArray(flags.map) ? flags.map.map(String) : []) };
      if (typeof flags.delimiter === 'string' && flags.delimiter !== '') options.delimiter = flags.delimiter;
      if (flags.cachedInInput) options.cachedInInput = true;
      return { options };
    },
  },
};
