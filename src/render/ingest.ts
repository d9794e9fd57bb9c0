import type { IngestSummary } from '../core/types.js';
import { formatUsd } from '../lib/money.js';
import type { TableData } from './types.js';

export interface IngestJson {
  schemaVersion: 1;
  kind: 'ingest-summary';
  dryRun: boolean;
  files: IngestSummary['files'];
  totals: IngestSummary['totals'];
  unpricedModels: IngestSummary['unpricedModels'];
  uncertainCosts: IngestSummary['uncertainCosts'];
  issues: IngestSummary['issues'];
  /** Key-shaped secrets found in values and stored as `key:sha256:…` hashes instead. */
  redacted: number;
  /** Lines kept with a warning (invalid UTF-8), each with file and line; `files[].warnings` counts them. */
  warnings: IngestSummary['warnings'];
}

export function ingestJson(s: IngestSummary): IngestJson {
  return {
    schemaVersion: 1,
    kind: 'ingest-summary',
    dryRun: s.dryRun,
    files: s.files,
    totals: s.totals,
    unpricedModels: s.unpricedModels,
    uncertainCosts: s.uncertainCosts,
    issues: s.issues,
    redacted: s.redacted,
    warnings: s.warnings,
  };
}

export function ingestTables(s: IngestSummary): TableData[] {
  const notes: string[] = [];
  if (s.dryRun) notes.push('Dry run: nothing was written.');
  const skipped = s.files.filter((f) => f.skipped === 'unchanged').length;
  if (skipped > 0) notes.push(`${skipped} file(s) unchanged since their last ingest were skipped (--force re-reads them).`);
  for (const f of s.files) {
    const x = f.superseded;
    if (x && x.rows > 0)
      notes.push(
        `${shorten(f.file)} supersedes ${x.rows} Cost Explorer rows (${formatUsd(x.billedNanos)}) on ${x.days.join(', ')}: the CUR is the finalized bill.`,
      );
  }
  for (const f of s.files) {
    if (f.replaced !== undefined) notes.push(`${shorten(f.file)} replaced ${f.replaced} rows stored by earlier ingests.`);
    if (f.updated) notes.push(`${shorten(f.file)} completed ${f.updated} requests stored before their output was complete (live session).`);
    if (f.unfinishedLine !== undefined)
      notes.push(
        `${shorten(f.file)}:${f.unfinishedLine}: the last line is still being written; the rest is stored, and the next ingest reads the file again.`,
      );
  }
  const unrecognized = s.files.filter((f) => f.skipped === 'unrecognized').length;
  if (unrecognized > 0) notes.push(`${unrecognized} file(s) in the directories given are not usage files and were skipped.`);
  for (const f of s.files) {
    if (f.warnings)
      notes.push(
        `${shorten(f.file)}: ${f.warnings} line(s) with bytes that are not UTF-8 were kept (read as U+FFFD); see the warnings on stderr.`,
      );
  }
  const failed = s.files.filter((f) => f.error !== undefined).length;
  if (failed > 0) notes.push(`${failed} file(s) failed and were not stored: nothing from them is in the database.`);
  for (const u of s.unpricedModels) {
    const name = `${u.provider ? `${u.provider}/` : ''}${u.model}`;
    const why = u.reason === 'unknown-model' ? 'unknown model' : u.reason;
    const unpriced = u.records - u.withReportedCost;
    if (unpriced > 0)
      notes.push(`No price for ${name} (${why}): ${unpriced} records stored as unpriced. Price them with llmcost reprice --prices FILE.`);
    if (u.withReportedCost > 0)
      notes.push(`No catalog price for ${name} (${why}): ${u.withReportedCost} records keep the cost their source reported, unchecked.`);
  }
  for (const u of s.uncertainCosts) notes.push(uncertainNote(u));
  if (s.redacted > 0)
    notes.push(
      `${s.redacted} secret(s) shaped like API keys or tokens (sk-…, Bearer …, AKIA…) were stored as key:sha256:… hashes, not verbatim.`,
    );
  return [
    {
      title: s.dryRun ? 'Ingest (dry run)' : 'Ingest',
      columns: [
        { key: 'file', header: 'File', kind: 'text' },
        { key: 'read', header: 'Read', kind: 'int' },
        { key: 'inserted', header: 'Inserted', kind: 'int' },
        { key: 'duplicate', header: 'Duplicate', kind: 'int' },
        { key: 'rejected', header: 'Rejected', kind: 'int' },
        { key: 'unpriced', header: 'Unpriced', kind: 'int' },
      ],
      rows: s.files.map(({ superseded: _, updated: _u, replaced: _r, unfinishedLine: _l, ...f }) => ({
        ...f,
        file: `${shorten(f.file)}${LABELS[f.error !== undefined ? 'failed' : (f.skipped ?? 'ok')]}`,
      })),
      ...(s.files.length > 1 ? { footer: { file: 'Total', ...s.totals } } : {}),
      notes,
    },
  ];
}

function uncertainNote(u: IngestSummary['uncertainCosts'][number]): string {
  if (u.reason === 'tier-unpriced') {
    const [tier = u.reading, context] = u.reading.split('-long-context');
    const what =
      context === undefined ? `the catalog has no ${tier} price` : `the catalog has no ${tier} price above the long-context threshold`;
    return `Service tier ${tier} unpriced for ${u.records} records (${what}): priced at standard, so likely too low; price_ref marks them. Add the tier's prices with --prices FILE.`;
  }
  const what = u.reason === 'litellm-prompt-split' ? 'LiteLLM prompt_tokens may or may not include cache writes' : u.reason;
  const how = u.settledBy === 'response_cost' ? 'the reading nearest the logged cost' : 'no logged cost to settle it';
  return `Computed cost uncertain for ${u.records} records (${what}): kept "${u.reading}", ${how}; price_ref marks them.`;
}

const LABELS = {
  ok: '',
  unchanged: ' (unchanged, skipped)',
  unrecognized: ' (not a usage file, skipped)',
  failed: ' (FAILED, not stored)',
};

/** Keeps the end of long paths (the file name) so the table fits a terminal; JSON keeps the full path. */
function shorten(path: string, max = 64): string {
  return path.length <= max ? path : `…${path.slice(path.length - max + 1)}`;
}
