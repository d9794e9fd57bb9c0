// Writes docs/report.png, the README's picture of the HTML report: `llmcost demo --html` (the built CLI) opened in
// Debian's chromium (playwright-core), the top of the page at 1200×900. Run after `npm run build`; commit the PNG.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'llmcost-shot-'));
try {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'llmcost'), 'demo', '--db', join(scratch, 'demo.db'), '--html'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' },
  });
  if (r.status !== 0) throw new Error(`llmcost demo --html: exit ${r.status}\n${r.stderr}`);
  const file = r.stdout.trim();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: 'light' });
    await page.goto(pathToFileURL(file).href);
    mkdirSync(join(root, 'docs'), { recursive: true });
    const out = join(root, 'docs', 'report.png');
    await page.screenshot({ path: out });
    console.log(`${out} (${Math.round(statSync(out).size / 1024)} kB)`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
