/**
 * The page's script: draws each chart spec of #llmcost-charts with uPlot, in the scheme's colours, and redraws
 * on a resize, a change of light/dark and before printing. It writes no HTML (labels go to canvas or textContent),
 * so no name from the data can become markup.
 */
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('llmcost-charts').textContent);
  var plots = [];
  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function money(v) {
    if (v == null) return '';
    var a = Math.abs(v);
    var s = a >= 1000 ? a.toLocaleString('en-US', { maximumFractionDigits: 0 }) : a >= 10 ? a.toFixed(0) : a >= 1 ? a.toFixed(2) : a.toPrecision(2);
    return (v < 0 ? '-$' : '$') + s;
  }
  function short(s) {
    if (/^\\d{4}-\\d{2}-\\d{2}$/.test(s)) return s.slice(5);
    return s.length > 18 ? s.slice(0, 8) + '\\u2026' + s.slice(-8) : s;
  }
  function stack(series) {
    // Each stacked series drawn as its running total, topmost first, so the ones under it paint over it.
    var sums = [];
    var out = [];
    series.forEach(function (s, i) {
      sums = s.values.map(function (v, k) { return (i === 0 ? 0 : sums[k]) + (v || 0); });
      out.push({ s: s, values: sums.slice() });
    });
    return out.reverse();
  }
  function build(spec, el) {
    var fg = css('--fg'), grid = css('--line'), bad = css('--bad');
    var palette = [0, 1, 2, 3, 4, 5, 6, 7].map(function (i) { return css('--c' + i); });
    var x = spec.labels.map(function (_, i) { return i; });
    var data = [x];
    var series = [{ label: 'x', value: function (u, v) { return v == null ? '' : spec.labels[v] || ''; } }];
    var bars = uPlot.paths.bars({ size: [0.8, 48] });
    var hasPct = false;
    function add(s, values, color, style) {
      var o = { label: s.label, stroke: color, width: 2, value: function (u, v) { return s.axis === 'pct' ? (v == null ? '' : v.toFixed(1) + '%') : money(v); } };
      if (s.axis === 'pct') { o.scale = 'pct'; hasPct = true; }
      if (style === 'bar') { o.paths = bars; o.fill = color; o.points = { show: false }; o.width = 0; }
      else if (style === 'dash') { o.dash = [6, 4]; o.points = { show: false }; }
      else if (style === 'flat') { o.dash = [2, 3]; o.stroke = bad; o.points = { show: false }; }
      else if (style === 'points') { o.paths = function () { return null; }; o.stroke = bad; o.points = { show: true, size: 11, width: 2, stroke: bad, fill: bad }; }
      else { o.points = { show: false }; }
      series.push(o);
      data.push(values);
    }
    if (spec.kind === 'stacked') {
      var marks = spec.series.filter(function (s) { return s.style === 'points'; });
      var parts = spec.series.filter(function (s) { return s.style !== 'points'; });
      var n = parts.length;
      stack(parts).forEach(function (p, j) { add(p.s, p.values, palette[(n - 1 - j) % 8], 'bar'); });
      marks.forEach(function (m) { add(m, m.values, bad, 'points'); });
    } else {
      spec.series.forEach(function (s, i) { add(s, s.values, palette[i % 8], s.style || 'line'); });
    }
    var width = Math.max(300, el.clientWidth || 600);
    var axes = [
      { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: function (u, splits) { return splits.map(function (i) { return Number.isInteger(i) && spec.labels[i] != null ? short(spec.labels[i]) : ''; }); } },
      { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 64, values: function (u, splits) { return splits.map(money); } },
    ];
    if (hasPct) axes.push({ side: 1, scale: 'pct', stroke: fg, grid: { show: false }, values: function (u, splits) { return splits.map(function (v) { return v + '%'; }); } });
    var opts = {
      width: width,
      height: 260,
      series: series,
      axes: axes,
      scales: { x: { time: false, range: function (u, min, max) { return [min - 0.5, max + 0.5]; } }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } }, pct: { range: [0, 100] } },
      legend: { live: true },
      cursor: { points: { show: false } },
      hooks: { setCursor: [latest] },
    };
    // The legend shows the last bucket's values while the pointer is not over the chart (uPlot leaves them empty).
    var last = data[0].length - 1;
    function latest(u) {
      if (u.cursor.idx == null && last >= 0) u.setLegend({ idx: last }, false);
    }
    var plot = new uPlot(opts, data, el);
    latest(plot);
    if (spec.links) {
      plot.over.style.cursor = 'pointer';
      plot.over.addEventListener('click', function () {
        var i = plot.cursor.idx;
        var to = i == null ? null : spec.links[i];
        if (to) location.hash = to;
      });
    }
    return plot;
  }
  function drawAll() {
    plots.forEach(function (p) { p.destroy(); });
    plots = [];
    specs.forEach(function (spec) {
      var el = document.getElementById(spec.id);
      if (el) plots.push(build(spec, el));
    });
  }
  drawAll();
  var pending = 0;
  window.addEventListener('resize', function () { clearTimeout(pending); pending = setTimeout(drawAll, 150); });
  if (window.matchMedia) window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', drawAll);
  window.addEventListener('beforeprint', drawAll);
  window.addEventListener('afterprint', drawAll);
  document.documentElement.setAttribute('data-charts', String(plots.length));
})();
`;
