/**
 * The HTML report as one self-contained file: styles, uPlot (read from node_modules when the page is written),
 * the data as JSON and the drawing script, all inline. Opened from file://, it makes no request at all (the
 * Content-Security-Policy forbids any), prints readably and follows the system's light or dark scheme.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderJson } from '../json.js';
import { CLIENT_SCRIPT } from './client.js';
import type { HtmlReportData } from './data.js';
import { esc, inlineScript, scriptJson } from './escape.js';
import { type ChartSpec, HTML_SECTIONS } from './sections.js';
import { STYLE } from './style.js';

const require = createRequire(import.meta.url);

/** uPlot's minified script and stylesheet, as installed with llmcost (a runtime dependency). */
function uplot(): { js: string; css: string } {
  return {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export function renderHtmlReport(d: HtmlReportData): string {
  const charts: ChartSpec[] = [];
  const sections = HTML_SECTIONS.flatMap((s) => {
    const inner = s.render(d, charts);
    return inner === undefined ? [] : [`<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>\n${inner}\n</section>`];
  });
  const filters = Object.entries(d.filters)
    .map(([k, v]) => `${k} ${v.join(', ')}`)
    .join('; ');
  const lib = uplot();
  const title = `LLM cost report, ${d.range.firstDay} to ${d.range.lastDay}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<style>${lib.css}</style>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">Time zone ${esc(d.timezone)} · range ${esc(d.range.since)} to ${esc(d.range.until)}${filters ? ` · ${esc(filters)}` : ''} · generated ${esc(d.generatedAt)} by llmcost</p>
</header>
<main>
${sections.join('\n')}
</main>
<footer><p>Every figure here is the JSON output of the llmcost command that computes it (report, pareto, anomalies, forecast, budget status, reconcile); the data is embedded in this file as JSON (<code>#llmcost-data</code>).</p></footer>
<script type="application/json" id="llmcost-data">${scriptJson(renderJson(d, 0))}</script>
<script type="application/json" id="llmcost-charts">${scriptJson(renderJson(charts, 0))}</script>
<script>${inlineScript(lib.js)}</script>
<script>${inlineScript(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
