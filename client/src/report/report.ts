/**
 * The one-page siting report, drawn on a canvas (A4 landscape, ≈144 dpi): title and question,
 * the standard and threshold it applies, the map, before → after totals, optimality (or how far a
 * what-if is from the optimum), the ranked sites and the towns that gain most, the demo-data
 * notice and the date. A canvas needs no PDF fonts for Chinese: the PNG is the canvas, the PDF
 * embeds it as a JPEG (pdf.ts).
 */
import type { I18n } from '../i18n';
import type { LegendGroup } from '../map/analysisLayers';
import { LABEL_FONT } from '../map/symbols';
import { displayValue, headerText, type AnyTable } from '../panels/resultTables';
import { jpegPdf } from './pdf';

/** A4 landscape, 297 × 210 mm, at about 144 dpi. */
export const REPORT_SIZE = { width: 1684, height: 1191 } as const;
/** The map's place on the page. */
export const REPORT_MAP = { width: 940, height: 600 } as const;

export interface ReportLine {
  text: string;
  strong?: boolean;
  color?: string;
}

export interface ReportContent {
  title: string;
  question: string;
  /** Date and time the report was made, as text. */
  date: string;
  /** The demo-data notice, when the data is demo data. */
  demo?: string;
  map?: HTMLCanvasElement;
  /** Why there is no map (it failed to draw). */
  mapProblem?: string;
  legend: LegendGroup[];
  /** Headed blocks of text in the right column: basis, totals, optimality. */
  facts: { heading: string; lines: ReportLine[] }[];
  sites: { title: string; table: AnyTable; more?: string };
  towns: { title: string; table: AnyTable; more?: string };
  footer: string;
}

/** Page margin, and the colours of text, secondary text and rules. */
export const M = 48;
export const INK = '#1f2933';
export const MUTED = '#5f6b76';
export const RULE = '#d5dbe0';
const font = (size: number, weight = 400) => `${weight} ${size}px ${LABEL_FONT}`;

/** Lines of at most `width` px; breaks anywhere in Chinese, at a space in Latin text when it can. */
function wrap(g: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (g.measureText(line + ch).width <= width) {
      line += ch;
      continue;
    }
    const space = line.lastIndexOf(' ');
    if (ch !== ' ' && space > line.length * 0.6) {
      lines.push(line.slice(0, space));
      line = line.slice(space + 1) + ch;
    } else {
      lines.push(line);
      line = ch === ' ' ? '' : ch;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Draws wrapped text from (x, y) (top); returns the y below it. */
export function paragraph(g: CanvasRenderingContext2D, text: string, x: number, y: number, width: number, size: number, weight = 400, color = INK): number {
  g.font = font(size, weight);
  g.fillStyle = color;
  g.textBaseline = 'top';
  g.textAlign = 'left';
  for (const line of wrap(g, text, width)) {
    g.fillText(line, x, y);
    y += size * 1.4;
  }
  return y;
}

export function heading(g: CanvasRenderingContext2D, text: string, x: number, y: number, width: number): number {
  y = paragraph(g, text, x, y, width, 17, 700, INK);
  g.fillStyle = RULE;
  g.fillRect(x, y + 2, width, 1.5);
  return y + 10;
}

/** A table: header, the rows given, the totals row when `totals`; numbers right-aligned. Returns the y below. */
export function table(g: CanvasRenderingContext2D, t: AnyTable, i18n: I18n, x: number, y: number, width: number, totals: boolean): number {
  const row = 25;
  const numeric = (c: AnyTable['columns'][number]) => c.digits !== undefined;
  const weights = t.columns.map((c) => (c.key === 'name' || c.key === 'town' || c.key === 'contact' ? 1.5 : c.key === 'rank' ? 0.55 : 1));
  const unit = width / weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => w * unit);
  // A cell that fails (the column's `bad`) is red, and bold: the text says it too, not the colour alone.
  const cells = (values: string[], yy: number, weight: number, color: string, bad: boolean[] = []) => {
    g.textBaseline = 'middle';
    let cx = x;
    t.columns.forEach((c, k) => {
      g.font = font(14, bad[k] ? 700 : weight);
      g.fillStyle = bad[k] ? '#b3261e' : color;
      let text = values[k];
      while (text.length > 1 && g.measureText(text).width > widths[k] - 8) text = text.slice(0, -1);
      if (text !== values[k]) text = `${text.slice(0, -1)}…`;
      g.textAlign = numeric(c) ? 'right' : 'left';
      g.fillText(text, numeric(c) ? cx + widths[k] - 4 : cx + 4, yy + row / 2);
      cx += widths[k];
    });
  };
  g.fillStyle = '#eef2f5';
  g.fillRect(x, y, width, row);
  cells(
    t.columns.map((c) => headerText(c, i18n)),
    y,
    700,
    INK,
  );
  y += row;
  t.rows.forEach((r, k) => {
    if (k % 2 === 1) {
      g.fillStyle = '#f7f9fa';
      g.fillRect(x, y, width, row);
    }
    cells(
      t.columns.map((c) => displayValue(c.value(r), c, i18n)),
      y,
      400,
      INK,
      t.columns.map((c) => c.bad?.(r) ?? false),
    );
    y += row;
  });
  if (totals) {
    g.fillStyle = RULE;
    g.fillRect(x, y, width, 1.5);
    cells(
      t.columns.map((c) => (c.total ? displayValue(c.total(t.rows), c, i18n) : '')),
      y,
      700,
      INK,
    );
    y += row;
  }
  return y;
}

function legend(g: CanvasRenderingContext2D, groups: LegendGroup[], x: number, y: number, width: number): number {
  let cx = x;
  g.textBaseline = 'middle';
  for (const group of groups) {
    g.font = font(13, 700);
    g.fillStyle = MUTED;
    g.textAlign = 'left';
    const title = `${group.title}:`;
    if (cx + g.measureText(title).width > x + width) (cx = x), (y += 24);
    g.fillText(title, cx, y + 9);
    cx += g.measureText(title).width + 8;
    g.font = font(13);
    for (const e of group.entries) {
      const w = 22 + g.measureText(e.label).width + 14;
      if (cx + w > x + width) (cx = x), (y += 24);
      g.fillStyle = e.color;
      g.fillRect(cx, y + 2, 16, 14);
      g.strokeStyle = '#9aa5ad';
      g.lineWidth = 1;
      g.strokeRect(cx + 0.5, y + 2.5, 15, 13);
      g.fillStyle = INK;
      g.fillText(e.label, cx + 22, y + 9);
      cx += w;
    }
    cx += 12;
  }
  return y + 24;
}

/** A blank report page: white, with the title, the date at the right, the demo notice as a red tag under it, and the question; returns the y below. */
export function reportPage(c: Pick<ReportContent, 'title' | 'date' | 'demo' | 'question'>): { canvas: HTMLCanvasElement; g: CanvasRenderingContext2D; y: number } {
  const canvas = document.createElement('canvas');
  canvas.width = REPORT_SIZE.width;
  canvas.height = REPORT_SIZE.height;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  const W = canvas.width - 2 * M;
  g.font = font(15);
  const dateWidth = g.measureText(c.date).width;
  let y = paragraph(g, c.title, M, M - 8, W - dateWidth - 40, 32, 700);
  g.font = font(15);
  g.fillStyle = MUTED;
  g.textAlign = 'right';
  g.textBaseline = 'top';
  g.fillText(c.date, M + W, M);
  if (c.demo) {
    g.font = font(15, 700);
    const w = g.measureText(c.demo).width + 20;
    g.fillStyle = '#fdecea';
    g.fillRect(M + W - w, M + 26, w, 28);
    g.fillStyle = '#b71c1c';
    g.textBaseline = 'middle';
    g.fillText(c.demo, M + W - 10, M + 40);
  }
  y = paragraph(g, c.question, M, y + 4, W - 260, 20, 400, MUTED) + 10;
  return { canvas, g, y };
}

/** The footer line at the bottom of the page. */
export function reportFooter(g: CanvasRenderingContext2D, text: string): void {
  const W = REPORT_SIZE.width - 2 * M;
  g.fillStyle = RULE;
  g.fillRect(M, REPORT_SIZE.height - M - 6, W, 1);
  paragraph(g, text, M, REPORT_SIZE.height - M, W, 13, 400, MUTED);
}

/** Draws the report; the canvas it returns is REPORT_SIZE. */
export function drawReport(c: ReportContent, i18n: I18n): HTMLCanvasElement {
  const { canvas, g, y } = reportPage(c);
  const W = canvas.width - 2 * M;

  // Left column: the map, its legend, the towns.
  const left = { x: M, width: REPORT_MAP.width };
  const top = y;
  if (c.map) g.drawImage(c.map, left.x, top, REPORT_MAP.width, REPORT_MAP.height);
  else {
    g.fillStyle = '#eef2f0';
    g.fillRect(left.x, top, REPORT_MAP.width, REPORT_MAP.height);
    paragraph(g, c.mapProblem ?? '', left.x + 20, top + REPORT_MAP.height / 2 - 10, REPORT_MAP.width - 40, 16, 400, MUTED);
  }
  g.strokeStyle = RULE;
  g.lineWidth = 1;
  g.strokeRect(left.x + 0.5, top + 0.5, REPORT_MAP.width - 1, REPORT_MAP.height - 1);
  let ly = legend(g, c.legend, left.x, top + REPORT_MAP.height + 8, left.width) + 6;
  ly = heading(g, c.towns.title, left.x, ly, left.width);
  // The county's totals are in the facts: a totals row of the top towns only would mislead.
  ly = table(g, c.towns.table, i18n, left.x, ly, left.width, false);
  if (c.towns.more) paragraph(g, c.towns.more, left.x, ly + 4, left.width, 13, 400, MUTED);

  // Right column: the facts, then the ranked sites.
  const right = { x: left.x + left.width + 36, width: M + W - (left.x + left.width + 36) };
  let ry = top;
  for (const f of c.facts) {
    ry = heading(g, f.heading, right.x, ry, right.width);
    for (const line of f.lines) ry = paragraph(g, line.text, right.x, ry, right.width, 16, line.strong ? 700 : 400, line.color ?? INK);
    ry += 12;
  }
  ry = heading(g, c.sites.title, right.x, ry, right.width);
  ry = table(g, c.sites.table, i18n, right.x, ry, right.width, true);
  if (c.sites.more) paragraph(g, c.sites.more, right.x, ry + 4, right.width, 13, 400, MUTED);

  reportFooter(g, c.footer);
  return canvas;
}

const blob = (canvas: HTMLCanvasElement, type: string, quality?: number) =>
  new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(`The browser could not encode the report as ${type}.`))), type, quality));

export const reportPng = (canvas: HTMLCanvasElement): Promise<Blob> => blob(canvas, 'image/png');

export async function reportPdf(canvas: HTMLCanvasElement, title: string): Promise<Blob> {
  const jpeg = new Uint8Array(await (await blob(canvas, 'image/jpeg', 0.92)).arrayBuffer());
  return new Blob([jpegPdf(jpeg, { title })], { type: 'application/pdf' });
}
