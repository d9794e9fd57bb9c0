/**
 * AWS Cost and Usage Report CSV (legacy `lineItem/UsageType` headers and CUR 2.0 `line_item_usage_type`
 * headers; both normalize to the same keys). Bedrock lines only unless `allServices`; usage lines only
 * (tax, credits and refunds are not usage). Deduped by line item id + usage start. A CUR line is the finalized
 * bill: once stored, it supersedes Cost Explorer's rows for the same day and account.
 */
import { UserError } from '../../lib/errors.js';
import { parseDecimalScaled } from '../../lib/money.js';
import { isDateOnly, parseTimestamp } from '../../lib/time.js';
import { supersedeCostExplorer } from '../../store/queries/billing.js';
import { principalOf } from '../bedrock/parse.js';
import { billedTokens, modelFromService, parseUsageType } from '../cost-explorer/usage-type.js';
import { readCsvRows } from '../csv/rows.js';
import { quote } from '../fields.js';
import type { IngestAdapter, InputFile, ParsedItem, UsageRecord } from '../types.js';

export interface CurOptions {
  allServices?: boolean;
}

const norm = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

const USAGE_LINE_TYPES = new Set(['usage', 'discountedusage', 'savingsplancoveredusage']);

function tagsOf(cells: Record<string, string>): { tags: string[]; team?: string } {
  const tags: string[] = [];
  let team: string | undefined;
  for (const [k, v] of Object.entries(cells)) {
    if (!v) continue;
    // Legacy: resourceTags/user:team → "resourcetagsuserteam"; keep the original key for the tag.
    if (k.startsWith('resourcetagsuser')) {
      const key = k.slice('resourcetagsuser'.length);
      tags.push(`tag:${key}=${v}`);
      if (key === 'team') team = v;
    }
  }
  const map = cells.resourcetags;
  if (map?.trim().startsWith('{')) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(map) as Record<string, unknown>)) {
        if (typeof v !== 'string' || v === '') continue;
        const key = k.replace(/^user_/, '');
        tags.push(`tag:${key}=${v}`);
        if (key === 'team') team = v;
      }
    } catch {
      // A resource_tags value that is not JSON is kept out rather than guessed at.
    }
  }
  return team === undefined ? { tags } : { tags, team };
}

async function* read(input: InputFile, options: CurOptions): AsyncIterable<ParsedItem[]> {
  let header: string[] | undefined;
  for await (const rows of readCsvRows(input)) {
    const out: ParsedItem[] = [];
    for (const [line, cells] of rows) {
      if (!header) {
        header = cells.map(norm);
        if (!header.includes('lineitemusagetype') || !header.includes('lineitemunblendedcost')) {
          throw new UserError(`${input.name}:1: not a Cost and Usage Report (no lineItem/UsageType and lineItem/UnblendedCost columns).`, {
            hint: 'Export CUR (legacy) or CUR 2.0 as CSV, or ingest other CSVs without --preset cur.',
          });
        }
        continue;
      }
      const c: Record<string, string> = {};
      header.forEach((h, i) => {
        c[h] = (cells[i] ?? '').trim();
      });
      const issue = (field: string, message: string): ParsedItem => ({ issue: { file: input.name, line, field, message } });
      const lineType = norm(c.lineitemlineitemtype ?? 'usage');
      if (!USAGE_LINE_TYPES.has(lineType)) continue;
      const product = c.lineitemproductcode ?? '';
      const productName = c.productproductname ?? c.productservicename ?? '';
      const usageType = c.lineitemusagetype ?? '';
      const bedrock = /bedrock/i.test(product) || /bedrock/i.test(productName) || /bedrock/i.test(c.productservicecode ?? '');
      if (!bedrock && !options.allServices) continue;
      const ts = parseTimestamp(c.lineitemusagestartdate ?? '');
      if (ts === undefined) {
        out.push(issue('lineItem/UsageStartDate', `expected an ISO 8601 time, got ${quote(c.lineitemusagestartdate ?? '')}`));
        continue;
      }
      const cost = parseDecimalScaled(c.lineitemunblendedcost ?? '', 9, true);
      if (cost === undefined) {
        out.push(issue('lineItem/UnblendedCost', `expected a USD amount, got ${quote(c.lineitemunblendedcost ?? '')}`));
        continue;
      }
      const quantity = Number(c.lineitemusageamount ?? '0');
      if (!Number.isFinite(quantity) || quantity < 0) {
        out.push(issue('lineItem/UsageAmount', `expected a non-negative number, got ${quote(c.lineitemusageamount ?? '')}`));
        continue;
      }
      const info = parseUsageType(usageType);
      const { tags, team } = tagsOf(c);
      tags.push(`usage_type:${usageType}`);
      if (productName) tags.push(`service:${productName}`);
      // The usage (linked) account: Cost Explorer rows of the same day and account are superseded by this line.
      const account = c.lineitemusageaccountid;
      if (account) tags.push(`account:${account}`);
      const id = c.identitylineitemid;
      const record: UsageRecord = {
        ts,
        ...(isDateOnly(c.lineitemusagestartdate ?? '') ? { dayOnly: true } : {}),
        sourceId: id ? `${id}|${c.lineitemusagestartdate}` : undefined,
        provider: 'bedrock',
        model: info.model ?? modelFromService(productName) ?? (usageType || 'unknown'),
        region: info.region ?? (c.productregioncode || c.productregion || undefined),
        user: principalOf(c.lineitemiamprincipal || undefined),
        team,
        endpoint: usageType,
        tags,
        serviceTier: info.batch ? 'batch' : 'standard',
        status: 'final',
        requests: 0,
        ...billedTokens(info, quantity),
        reportedCostNanos: cost,
        billed: true,
      };
      out.push({ record, line });
    }
    if (out.length > 0) yield out;
  }
  if (!header) throw new UserError(`${input.name}: the file is empty.`);
}

export const curAdapter: IngestAdapter<CurOptions> = {
  id: 'cur',
  description: 'AWS Cost and Usage Report CSV (legacy and CUR 2.0 column names)',
  read,
  accepts: (n) => /\.csv(\.gz)?$/i.test(n),
  detect: (p) => !p.json && /lineitem\/usagetype|line_item_usage_type/.test(p.header),
  afterStore: (db, stored) => supersedeCostExplorer(db, stored.since, stored.until),
};
