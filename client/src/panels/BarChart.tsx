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
const ROW = 17;
const TOP = 18;
const FONT = 11;
/** The plot keeps at least this much of the width, whatever the labels take. */
const MIN_PLOT = 140;

/** Text width estimate: CJK and symbols (→, ›) about one em a glyph, ASCII about 0.62 em (digits are the widest). */
export const textWidth = (s: string): number => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x7f ? FONT : FONT * 0.62), 0);

/**
 * The columns of a chart: the labels' (the longest label, 60–170) and the values' (the longest
 * value text, whole: "37.9% → 91.2%" must not be cut), the plot taking the rest.
 */
export function chartColumns(bars: readonly Bar[]): { labelW: number; textW: number; plotW: number } {
  const labelW = Math.round(Math.min(170, Math.max(60, ...bars.map((b) => textWidth(b.label) + 10))));
  const textW = Math.round(Math.max(40, ...bars.map((b) => textWidth(b.text) + 12)));
  // A very long value text shortens the labels' column before the plot.
  const over = Math.max(0, labelW + textW + MIN_PLOT - WIDTH);
  return { labelW: Math.max(60, labelW - over), textW, plotW: WIDTH - Math.max(60, labelW - over) - textW };
}

export function BarChart({ chart }: { chart: Chart }) {
  const { labelW, plotW } = chartColumns(chart.bars);
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
