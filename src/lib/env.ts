/** Every environment variable llmcost reads, in one place. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Env {
  db: string | undefined;
  dataHome: string;
  /** $XDG_CACHE_HOME/llmcost, default ~/.cache/llmcost: per-user scratch space such as the demo database. */
  cacheHome: string;
  noColor: boolean;
  forceColor: boolean;
  ci: boolean;
  home: string;
  /** Claude Code's config directories (comma-separated), as ccusage reads them. */
  claudeConfigDir: string | undefined;
  /** GitHub Actions: the job-summary file, and whether to print workflow annotations. */
  githubStepSummary: string | undefined;
  githubActions: boolean;
  /** LLMCOST_NOW (ISO time): the clock for reproducible reports and tests. */
  now: number | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const xdg = env.XDG_DATA_HOME;
  const xdgCache = env.XDG_CACHE_HOME;
  return {
    db: env.LLMCOST_DB || undefined,
    dataHome: xdg ? join(xdg, 'llmcost') : join(env.HOME || homedir(), '.local', 'share', 'llmcost'),
    cacheHome: xdgCache ? join(xdgCache, 'llmcost') : join(env.HOME || homedir(), '.cache', 'llmcost'),
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    forceColor: env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0',
    ci: env.CI === 'true' || env.CI === '1',
    home: env.HOME || homedir(),
    claudeConfigDir: env.CLAUDE_CONFIG_DIR || undefined,
    githubStepSummary: env.GITHUB_STEP_SUMMARY || undefined,
    githubActions: env.GITHUB_ACTIONS === 'true',
    now: env.LLMCOST_NOW ? Date.parse(env.LLMCOST_NOW) : undefined,
  };
}

/** Database path from --db, else LLMCOST_DB, else $XDG_DATA_HOME/llmcost/llmcost.db. */
export function resolveDbPath(flag: string | undefined, env: Env): string {
  return flag ?? env.db ?? join(env.dataHome, 'llmcost.db');
}
