/**
 * Server-rendered SVG charts: no client code, readable on a phone and on paper. Every label is
 * escaped here because the SVG is inserted into the page as markup.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 1000) / 10}%`);

export interface BarRow {
  label: string;
  /** Two fractions 0–1 drawn side by side (e.g. reporting and on-time rate). */
  a: number | null;
  b: number | null;
}

/** Horizontal paired bars, one row per province, with the values written out (not colour alone). */
export function pairedBars(rows: BarRow[], legend: [string, string], title: string): string {
  const labelWidth = 190,
    barWidth = 260,
    rowHeight = 30,
    top = 28;
  const height = top + rows.length * rowHeight + 8;
  const width = labelWidth + barWidth + 70;
  const bars = rows.map((r, i) => {
    const y = top + i * rowHeight;
    const w = (x: number | null) => Math.round((x ?? 0) * barWidth);
    return (
      `<g><text x="0" y="${y + 12}">${esc(r.label)}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${w(r.a)}" height="11" fill="#0b4f8a"/>` +
      `<text x="${labelWidth + w(r.a) + 4}" y="${y + 10}">${pct(r.a)}</text>` +
      `<rect x="${labelWidth}" y="${y + 13}" width="${w(r.b)}" height="11" fill="#7bb3e0" stroke="#0b4f8a" stroke-width="0.5"/>` +
      `<text x="${labelWidth + w(r.b) + 4}" y="${y + 23}">${pct(r.b)}</text></g>`
    );
  });
  return (
    `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(title)}</title>` +
    `<rect x="${labelWidth}" y="4" width="12" height="12" fill="#0b4f8a"/><text x="${labelWidth + 16}" y="14">${esc(legend[0])}</text>` +
    `<rect x="${labelWidth + 140}" y="4" width="12" height="12" fill="#7bb3e0" stroke="#0b4f8a" stroke-width="0.5"/><text x="${labelWidth + 156}" y="14">${esc(legend[1])}</text>` +
    bars.join('') +
    '</svg>'
  );
}

/** Vertical bars over weeks (a rate 0–1), value on top of each bar. */
export function weeklyBars(points: { label: string; value: number | null }[], title: string): string {
  const barWidth = 34,
    gap = 12,
    chartHeight = 140,
    top = 18,
    bottom = 34;
  const width = Math.max(1, points.length) * (barWidth + gap) + gap;
  const height = top + chartHeight + bottom;
  const bars = points.map((p, i) => {
    const x = gap + i * (barWidth + gap);
    const h = Math.round((p.value ?? 0) * chartHeight);
    const y = top + chartHeight - h;
    return (
      `<g><rect x="${x}" y="${y}" width="${barWidth}" height="${h}" fill="#0b4f8a"/>` +
      `<text x="${x + barWidth / 2}" y="${y - 4}" text-anchor="middle">${pct(p.value)}</text>` +
      `<text x="${x + barWidth / 2}" y="${top + chartHeight + 14}" text-anchor="middle">${esc(p.label.slice(5))}</text></g>`
    );
  });
  return (
    `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(title)}</title><line x1="0" y1="${top + chartHeight}" x2="${width}" y2="${top + chartHeight}" stroke="#52606d"/>` +
    bars.join('') +
    '</svg>'
  );
}
