/** The report's stylesheet: light and dark (prefers-color-scheme), chart colours as variables, and print rules. */
export const STYLE = `
:root {
  --bg: #ffffff; --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --card: #f5f7fa; --accent: #2458d6;
  --warn: #b86e00; --bad: #c62828; --good: #2e7d32;
  --c0: #2458d6; --c1: #e07b00; --c2: #2e9e5b; --c3: #b5369e; --c4: #00a3b4; --c5: #8a6d00; --c6: #6b4fd8; --c7: #8c939f;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171d; --fg: #e6e9ef; --muted: #9aa3b2; --line: #2f3541; --card: #1c2029; --accent: #7aa2ff;
    --warn: #ffb74d; --bad: #ff6b6b; --good: #66bb6a;
    --c0: #7aa2ff; --c1: #ffa94d; --c2: #5fd68a; --c3: #e07ad0; --c4: #4dd6e6; --c5: #d9bd4d; --c6: #a995ff; --c7: #8c939f;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 20px; }
h1 { font-size: 22px; margin: 20px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
.meta, .note, footer { color: var(--muted); font-size: 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card-title { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.card-value { font-size: 26px; font-weight: 600; margin: 4px 0; font-variant-numeric: tabular-nums; }
.card-detail { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
@media (max-width: 900px) { .split { grid-template-columns: minmax(0, 1fr); } }
.chart { min-height: 260px; }
.table-wrap { overflow: auto; max-height: 420px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; overflow-wrap: break-word; }
td:first-child { white-space: nowrap; }
th { position: sticky; top: 0; background: var(--bg); }
.num { text-align: right; white-space: nowrap; }
tfoot td { font-weight: 600; }
tr.crosses80 td { border-bottom: 2px solid var(--accent); }
tr.sev-critical td:nth-child(3) { color: var(--bad); font-weight: 600; }
tr.sev-warning td:nth-child(3) { color: var(--warn); }
tr:target td { background: color-mix(in srgb, var(--accent) 18%, transparent); }
.drivers { margin: 2px 0 0; padding-left: 18px; }
.status-exceeded h3, .status-critical h3 { color: var(--bad); }
.status-warning h3 { color: var(--warn); }
a { color: var(--accent); }
.u-legend { font-size: 12px; color: var(--fg); }
.u-legend .u-series:first-child { display: none; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #444; --line: #bbb; --card: #fff; }
  body { font-size: 11px; }
  header, main, footer { max-width: none; padding: 0; }
  .split { grid-template-columns: minmax(0, 1fr); }
  .table-wrap { max-height: none; overflow: visible; }
  th { position: static; }
  section, .block, .card { break-inside: avoid; }
  table { break-inside: auto; }
  tr { break-inside: avoid; }
  .chart canvas { max-width: 100% !important; height: auto !important; }
  a { color: inherit; text-decoration: none; }
}
`;
