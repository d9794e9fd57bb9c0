/**
 * Two (here three) processes ingesting into one database at once: each waits its turn for the write lock, as long
 * as the other needs, and every row is stored exactly once. Readers running meanwhile see each file whole or not
 * at all. Tagged slow (about half a minute): `npm run test:fast` leaves it out.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json, type RunResult, runAsync, sandbox } from '../helpers/cli.js';

const ROWS = 200_000;
const FILES = 3;

interface IngestJson {
  totals: { read: number; inserted: number; duplicate: number };
}
interface ReportJson {
  totals: { requests: number; inputTokens: number; outputTokens: number; costNanos: number };
}

describe('concurrent writers', () => {
  const sb = sandbox();
  afterAll(() => sb.dispose());

  it(
    'three ingests of 200k rows each, started at once on a new database: all exit 0, totals exact',
    { tags: ['slow'], timeout: 240_000 },
    async () => {
      const files: string[] = [];
      for (let f = 0; f < FILES; f++) {
        const lines = ['timestamp,user,team,model,input_tokens,output_tokens'];
        for (let i = 0; i < ROWS; i++) {
          const day = 1 + (i % 28);
          const second = Math.floor(i / 28);
          const ts = `2026-09-${String(day).padStart(2, '0')}T${String(Math.floor(second / 3600) % 24).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}Z`;
          lines.push(`${ts},file${f}-user${i % 500},team${f},gpt-4o-mini,1000,100`);
        }
        const file = join(sb.dir, `usage-${f}.csv`);
        writeFileSync(file, `${lines.join('\n')}\n`);
        files.push(file);
      }

      const ingests = files.map((file) => runAsync(sb, ['ingest', 'csv', file, '--json']));
      let done = false;
      const all = Promise.all(ingests).finally(() => {
        done = true;
      });
      // Readers meanwhile: each report sees whole files only (a multiple of ROWS requests), never part of one.
      const seen: number[] = [];
      while (!done) {
        const r: RunResult = await runAsync(sb, ['report', '--json']);
        // Exit 3: no database yet, or no usage in it yet.
        if (r.status === 3) seen.push(0);
        else {
          expect(r.status).toBe(0);
          seen.push(json<ReportJson>(r).totals.requests);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const results = await all;

      for (const r of results) {
        expect(r.status, r.stderr).toBe(0);
        expect(json<IngestJson>(r).totals).toMatchObject({ read: ROWS, inserted: ROWS, duplicate: 0 });
      }
      // At most one process held the lock at a time: the others said they were waiting.
      expect(results.filter((r) => r.stderr.includes(`waiting for another process writing to ${sb.db}…`)).length).toBeGreaterThanOrEqual(1);
      for (const n of seen) expect(n % ROWS).toBe(0);

      const report = await runAsync(sb, ['report', '--json']);
      expect(report.status).toBe(0);
      // gpt-4o-mini: $0.15 / M input, $0.60 / M output → 150,000 + 60,000 nanos a request.
      expect(json<ReportJson>(report).totals).toMatchObject({
        requests: FILES * ROWS,
        inputTokens: FILES * ROWS * 1000,
        outputTokens: FILES * ROWS * 100,
        costNanos: FILES * ROWS * 210_000,
      });
    },
  );
});
