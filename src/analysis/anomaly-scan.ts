/**
 * Runs detection over a whole requested range: the total series (with a root cause for every finding)
 * and, with --by, one series per entity. Pure: aligned series in, findings out.
 */
import { type DetectOptions, type DriverShare, detectNew, detectSeries, type Finding, rootCause } from './anomalies.js';

/** `tag`: with `--by tag:KEY`, the values of that key (entities `KEY=VALUE`, "(untagged)" for requests without it). */
export const DRIVER_DIMENSIONS = ['user', 'model', 'endpoint', 'team', 'combined', 'tag'] as const;
export type DriverDimension = (typeof DRIVER_DIMENSIONS)[number];

export interface ScanInput {
  /** Bucket ids (local day numbers, or local hour numbers), oldest first, no gaps. */
  buckets: number[];
  /** Index of the first scored bucket; earlier buckets are history. */
  start: number;
  total: number[];
  /** Series per entity of each driver dimension, aligned with `buckets`. "combined" keys are user␟model␟endpoint. */
  drivers: Partial<Record<DriverDimension, Map<string, number[]>>>;
  /** With --by: the dimension and its entities' series. */
  entities?: { dimension: string; series: Map<string, number[]> };
  options: DetectOptions;
  slotOf: (bucket: number) => number;
}

export interface ScanFinding extends Finding {
  bucket: number;
  /** Undefined for the total series. */
  entity?: { dimension: string; name: string };
  drivers?: Partial<Record<DriverDimension, DriverShare[]>>;
}

export interface ScanResult {
  findings: ScanFinding[];
  scored: number;
  unscored: number;
  /** Buckets of history before the first scored bucket, and how many the method needs. */
  history: { available: number; needed: number };
}

export function scan(input: ScanInput): ScanResult {
  const slot = (i: number): number => input.slotOf(input.buckets[i] ?? 0);
  const total = detectSeries(input.total, input.start, input.options, slot);
  const findings: ScanFinding[] = [];
  for (const f of total.findings) {
    if (f.kind === 'new') continue; // the total always has history once anything was spent
    // Root cause on the change: a spike's day, a level shift's first days.
    const span = f.kind === 'level-shift' ? (f.span ?? 1) : 1;
    const drivers: Partial<Record<DriverDimension, DriverShare[]>> = {};
    for (const d of DRIVER_DIMENSIONS) {
      const series = input.drivers[d];
      if (series) drivers[d] = rootCause(series, f.index, f.excess, input.options, slot, span);
    }
    findings.push({ ...f, bucket: input.buckets[f.index] ?? 0, drivers });
  }
  // New spenders are entities, not a move of the total: a new user is reported even when the total barely moves.
  const newUsers = input.entities?.dimension === 'user' ? undefined : input.drivers.user;
  for (const [name, values] of newUsers ?? []) {
    for (const f of detectNew(values, input.start, input.options, input.total))
      findings.push({ ...f, bucket: input.buckets[f.index] ?? 0, entity: { dimension: 'user', name } });
  }
  if (input.entities) {
    for (const [name, values] of input.entities.series) {
      for (const f of detectSeries(values, input.start, input.options, slot, input.total).findings) {
        findings.push({ ...f, bucket: input.buckets[f.index] ?? 0, entity: { dimension: input.entities.dimension, name } });
      }
    }
  }
  findings.sort((a, b) => a.bucket - b.bucket || b.excess - a.excess);
  const firstData = input.total.findIndex((v) => v > 0);
  const available = firstData === -1 ? 0 : Math.max(0, input.start - firstData);
  return { findings, scored: total.scored, unscored: total.unscored, history: { available, needed: input.options.minHistory } };
}

/** The worst severity among findings, for --fail-on. */
export function worstSeverity(findings: readonly Finding[]): 'critical' | 'warning' | undefined {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  return findings.length > 0 ? 'warning' : undefined;
}
