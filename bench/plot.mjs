/**
 * A small line-chart writer for the bench's figures: SVG text with axes,
 * ticks, grid, axis labels, a legend, two or more series and optional
 * reference lines (targets). No dependencies, no scripts, no web fonts, a
 * white background: GitHub shows it as an image in markdown, in light and
 * dark mode alike.
 *
 *   import { lineChart, writeChart } from './plot.mjs';
 *   writeChart('docs/img/x.svg', lineChart({
 *     title: 'Thread render time', xLabel: 'comments', yLabel: 'ms', xScale: 'log',
 *     series: [{ name: 'first page', points: [[10, 12], [100, 15]] }],
 *     references: [{ y: 100, label: 'target 100 ms' }],
 *   }));
 */
import fs from 'node:fs';
import path from 'node:path';

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), each series also dashed differently. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const DASHES = ['', '6 4', '2 3', '8 3 2 3', '12 4', '4 2', '1 2'];
const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'circle', 'square', 'triangle'];
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const round = (n) => Math.round(n * 100) / 100;

/** "1,000", "2.5", "0.05": a tick label without float noise. */
export function formatTick(value) {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const digits = abs >= 10 ? 0 : abs >= 1 ? 1 : Math.min(6, Math.ceil(-Math.log10(abs)) + 1);
  return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Evenly spaced "nice" ticks (steps of 1, 2 or 5 × 10^k) covering [min, max]. */
export function linearTicks(min, max, count = 6) {
  if (min === max) max = min + 1;
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks.at(-1) < max) ticks.push(Number((ticks.at(-1) + step).toPrecision(12)));
  return ticks;
}

/** 1, 2, 5 × 10^k within [min, max] on a log axis (only powers of ten over more than three decades). */
export function logTicks(min, max) {
  const ticks = [];
  const multiples = Math.log10(max / min) > 3 ? [1] : [1, 2, 5];
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) {
    for (const m of multiples) {
      const v = Number((m * 10 ** k).toPrecision(12));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
    }
  }
  return ticks;
}

function axis({ scale, values, ticks, from, to, zero }) {
  const finite = values.filter(Number.isFinite);
  if (scale === 'log') {
    const positive = finite.filter((v) => v > 0);
    const lo = Math.min(...positive, ...(ticks ?? []).filter((t) => t > 0));
    const hi = Math.max(...positive, ...(ticks ?? []));
    // Computed ticks run from the last one at or below the data to the first one at or above it.
    const all = logTicks(10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi)));
    const below = all.filter((t) => t <= lo).at(-1) ?? lo;
    const above = all.find((t) => t >= hi) ?? hi;
    const shown = ticks ?? all.filter((t) => t >= below && t <= above);
    const min = Math.min(lo, ...shown);
    const max = Math.max(hi, ...shown);
    const span = Math.log10(max) - Math.log10(min) || 1;
    return { ticks: shown, map: (v) => from + ((Math.log10(v) - Math.log10(min)) / span) * (to - from) };
  }
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (zero) lo = Math.min(0, lo);
  const shown = ticks ?? linearTicks(lo, hi);
  const min = Math.min(lo, shown[0]);
  const max = Math.max(hi, shown.at(-1));
  const span = max - min || 1;
  return { ticks: shown, map: (v) => from + ((v - min) / span) * (to - from) };
}

function marker(kind, x, y, colour) {
  const r = 3.5;
  switch (kind) {
    case 'square':
      return `<rect x="${round(x - r)}" y="${round(y - r)}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`;
    case 'triangle':
      return `<path d="M${round(x)},${round(y - r - 0.5)} L${round(x + r + 0.5)},${round(y + r)} L${round(x - r - 0.5)},${round(y + r)} Z" fill="${colour}"/>`;
    case 'diamond':
      return `<path d="M${round(x)},${round(y - r - 1)} L${round(x + r + 1)},${round(y)} L${round(x)},${round(y + r + 1)} L${round(x - r - 1)},${round(y)} Z" fill="${colour}"/>`;
    default:
      return `<circle cx="${round(x)}" cy="${round(y)}" r="${r}" fill="${colour}"/>`;
  }
}

/**
 * An SVG line chart.
 *
 * @param {object} chart
 * @param {string} chart.title
 * @param {string} [chart.subtitle] - A second, smaller line under the title (the machine, the run).
 * @param {string} chart.xLabel
 * @param {string} chart.yLabel
 * @param {{ name: string, points: [number, number][], colour?: string }[]} chart.series - Two or more; points with a non-finite y are left out.
 * @param {'linear' | 'log'} [chart.xScale]
 * @param {'linear' | 'log'} [chart.yScale]
 * @param {number[]} [chart.xTicks] - Ticks to show instead of computed ones (e.g. the measured x values).
 * @param {number[]} [chart.yTicks]
 * @param {{ y: number, label: string }[]} [chart.references] - Horizontal lines, e.g. a target.
 * @param {number} [chart.width]
 * @param {number} [chart.height]
 * @returns {string}
 */
export function lineChart({ title, subtitle, xLabel, yLabel, series, xScale = 'linear', yScale = 'linear', xTicks, yTicks, references = [], width = 760, height = 420 }) {
  if (!Array.isArray(series) || series.length < 1) throw new Error('lineChart needs at least one series');
  const clean = series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (yScale !== 'log' || y > 0)) }));
  const xs = clean.flatMap((s) => s.points.map(([x]) => x));
  const ys = [...clean.flatMap((s) => s.points.map(([, y]) => y)), ...references.map((r) => r.y)];
  if (!xs.length) throw new Error(`lineChart "${title}": no finite points to draw`);

  // Legend rows first: the plot area starts under them.
  const legendItemWidth = (name) => 34 + name.length * 6.6 + 18;
  const rows = [[]];
  let rowWidth = 0;
  const legendMax = width - 90;
  for (const [i, s] of clean.entries()) {
    const w = legendItemWidth(s.name);
    if (rowWidth + w > legendMax && rows.at(-1).length) {
      rows.push([]);
      rowWidth = 0;
    }
    rows.at(-1).push({ index: i, x: rowWidth });
    rowWidth += w;
  }
  const subtitleLines = wrap(subtitle ?? '', Math.floor((width - 90) / 6));
  const legendTop = 44 + subtitleLines.length * 15;
  const top = legendTop + rows.length * 20 + 10;
  const margin = { top, right: 24, bottom: 52, left: 70 };
  const plot = { x0: margin.left, x1: width - margin.right, y0: height - margin.bottom, y1: margin.top };

  const x = axis({ scale: xScale, values: xs, ticks: xTicks, from: plot.x0, to: plot.x1 });
  const y = axis({ scale: yScale, values: ys, ticks: yTicks, from: plot.y0, to: plot.y1, zero: yScale === 'linear' });

  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="title">`,
    `<title id="title">${escape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g font-family="${FONT}" font-size="12" fill="#222222">`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="600">${escape(title)}</text>`,
  );
  for (const [i, line] of subtitleLines.entries()) out.push(`<text x="${margin.left}" y="${40 + i * 15}" font-size="11" fill="#555555">${escape(line)}</text>`);

  // Grid and ticks.
  for (const t of y.ticks) {
    const py = round(y.map(t));
    out.push(`<line x1="${plot.x0}" y1="${py}" x2="${plot.x1}" y2="${py}" stroke="#e3e3e3" stroke-width="1"/>`);
    out.push(`<text x="${plot.x0 - 8}" y="${py + 4}" text-anchor="end">${escape(formatTick(t))}</text>`);
  }
  for (const t of x.ticks) {
    const px = round(x.map(t));
    out.push(`<line x1="${px}" y1="${plot.y1}" x2="${px}" y2="${plot.y0}" stroke="#efefef" stroke-width="1"/>`);
    out.push(`<line x1="${px}" y1="${plot.y0}" x2="${px}" y2="${plot.y0 + 5}" stroke="#444444"/>`);
    out.push(`<text x="${px}" y="${plot.y0 + 19}" text-anchor="middle">${escape(formatTick(t))}</text>`);
  }
  out.push(`<line x1="${plot.x0}" y1="${plot.y0}" x2="${plot.x1}" y2="${plot.y0}" stroke="#444444"/>`);
  out.push(`<line x1="${plot.x0}" y1="${plot.y0}" x2="${plot.x0}" y2="${plot.y1}" stroke="#444444"/>`);
  out.push(`<text x="${(plot.x0 + plot.x1) / 2}" y="${height - 12}" text-anchor="middle" font-size="13">${escape(xLabel)}${xScale === 'log' ? ' (log scale)' : ''}</text>`);
  out.push(
    `<text transform="translate(18 ${(plot.y0 + plot.y1) / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escape(yLabel)}${yScale === 'log' ? ' (log scale)' : ''}</text>`,
  );

  for (const ref of references) {
    const py = round(y.map(ref.y));
    out.push(`<line x1="${plot.x0}" y1="${py}" x2="${plot.x1}" y2="${py}" stroke="#b00020" stroke-width="1.2" stroke-dasharray="3 3"/>`);
    out.push(`<text x="${plot.x0 + 6}" y="${py - 5}" font-size="11" fill="#b00020">${escape(ref.label)}</text>`);
  }

  for (const [i, s] of clean.entries()) {
    const colour = s.colour ?? COLOURS[i % COLOURS.length];
    const dash = DASHES[i % DASHES.length];
    const points = [...s.points].sort((a, b) => a[0] - b[0]).map(([px, py]) => [x.map(px), y.map(py)]);
    if (points.length > 1) {
      out.push(
        `<polyline points="${points.map(([px, py]) => `${round(px)},${round(py)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linejoin="round"/>`,
      );
    }
    for (const [px, py] of points) out.push(marker(MARKERS[i % MARKERS.length], px, py, colour));
  }

  // Legend.
  for (const [r, row] of rows.entries()) {
    for (const { index, x: offset } of row) {
      const s = clean[index];
      const colour = s.colour ?? COLOURS[index % COLOURS.length];
      const dash = DASHES[index % DASHES.length];
      const lx = margin.left + offset;
      const ly = legendTop + r * 20;
      out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 26}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
      out.push(marker(MARKERS[index % MARKERS.length], lx + 13, ly, colour));
      out.push(`<text x="${lx + 32}" y="${ly + 4}">${escape(s.name)}</text>`);
    }
  }
  out.push('</g>', '</svg>');
  return `${out.join('\n')}\n`;
}

/** Splits text into lines of at most `columns` characters, at spaces. */
function wrap(text, columns) {
  const lines = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (lines.length && lines.at(-1).length + 1 + word.length <= columns) lines[lines.length - 1] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Writes an SVG file, creating its folder. */
export function writeChart(file, svg) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, svg);
}
