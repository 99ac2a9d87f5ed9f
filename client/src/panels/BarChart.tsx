/**
 * A horizontal bar chart in inline SVG: one row per town (names read better across than up),
 * stacked segments, an optional threshold line (the standard's value). Bars longer than the axis
 * are cut at its end and marked with "›"; the number at the right is always the real value.
 */

export interface Segment {
  value: number;
  color: string;
  /** Shown on hover. */
  title: string;
}

export interface Bar {
  key: string;
  label: string;
  segments: Segment[];
  /** The value as text, at the right end of the row. */
  text: string;
}

export interface Chart {
  title: string;
  bars: Bar[];
  /** The axis' end value. */
  max: number;
  threshold?: { value: number; label: string };
  /** Colour keys for stacked segments. */
  keys?: { color: string; label: string }[];
}

const WIDTH = 420;
const TEXT_W = 76;
const ROW = 17;
const TOP = 18;
const FONT = 11;

/** Width of the label column: the longest label (CJK about one em a glyph, Latin about 0.6), within bounds. */
function labelWidth(bars: readonly Bar[]): number {
  const width = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? FONT : FONT * 0.6), 0);
  return Math.round(Math.min(170, Math.max(60, ...bars.map((b) => width(b.label) + 10))));
}

export function BarChart({ chart }: { chart: Chart }) {
  const labelW = labelWidth(chart.bars);
  const plotW = WIDTH - labelW - TEXT_W;
  const x = (v: number) => labelW + (Math.min(Math.max(v, 0), chart.max) / chart.max) * plotW;
  const height = TOP + chart.bars.length * ROW + 4;
  return (
    <figure className="bar-chart" data-testid="bar-chart">
      <figcaption>{chart.title}</figcaption>
      {chart.keys && (
        <ul className="chart-keys">
          {chart.keys.map((k) => (
            <li key={k.label}>
              <span className="key" style={{ background: k.color }} aria-hidden />
              {k.label}
            </li>
          ))}
        </ul>
      )}
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={chart.title}>
        {chart.bars.map((bar, i) => {
          const y = TOP + i * ROW;
          let start = 0;
          const total = bar.segments.reduce((a, s) => a + s.value, 0);
          return (
            <g key={bar.key}>
              <text x={labelW - 6} y={y + ROW / 2} className="bar-label" textAnchor="end" dominantBaseline="central">
                {bar.label}
              </text>
              {bar.segments.map((s, k) => {
                const x0 = x(start);
                start += s.value;
                const w = x(start) - x0;
                return (
                  w > 0 && (
                    <rect key={k} x={x0} y={y + 3} width={w} height={ROW - 6} fill={s.color}>
                      <title>{s.title}</title>
                    </rect>
                  )
                );
              })}
              {total > chart.max && (
                <text x={labelW + plotW - 2} y={y + ROW / 2} className="bar-overflow" textAnchor="end" dominantBaseline="central">
                  ›
                </text>
              )}
              <text x={labelW + plotW + 6} y={y + ROW / 2} className="bar-value" dominantBaseline="central">
                {bar.text}
              </text>
            </g>
          );
        })}
        {chart.threshold && (
          <g className="threshold">
            <line x1={x(chart.threshold.value)} x2={x(chart.threshold.value)} y1={TOP - 4} y2={height} />
            <text x={x(chart.threshold.value)} y={TOP - 7} textAnchor="middle">
              {chart.threshold.label}
            </text>
          </g>
        )}
      </svg>
    </figure>
  );
}
