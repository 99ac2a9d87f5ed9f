/**
 * The hand-written one-page PDF of the report (client/src/report/pdf.ts): its cross-reference
 * table must point at every object, the trailer at the table, the image must be the JPEG byte for
 * byte with its real size, and the page A4 landscape. The fixtures are JPEGs chromium's canvas
 * encoded (canvas.toDataURL('image/jpeg')), as the report's are. pdfinfo and qpdf check the file
 * too where they are installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { A4_LANDSCAPE, jpegInfo, jpegPdf } from '../../client/src/report/pdf';

const FIXTURES = path.resolve('tests/fixtures/report-pdf');
const jpeg = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
/** Latin-1 keeps one character per byte, so string offsets are byte offsets. */
const text = (pdf: Uint8Array) => Buffer.from(pdf).toString('latin1');

function xref(pdf: string): { offsets: number[]; start: number; size: number } {
  const start = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
  expect(pdf.slice(start, start + 5)).toBe('xref\n');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(pdf.slice(start))!.map(Number);
  expect(first).toBe(0);
  const body = pdf.slice(start).split('\n').slice(2, 2 + count);
  const entries = pdf.slice(pdf.indexOf('\n', start + 5) + 1, pdf.indexOf('trailer', start));
  // Every entry exactly 20 bytes, so a reader can seek to entry k at k × 20.
  expect(entries.length).toBe(count * 20);
  expect(body[0]).toBe('0000000000 65535 f ');
  const offsets = body.slice(1).map((line) => {
    expect(line).toMatch(/^\d{10} 00000 n $/);
    return Number(line.slice(0, 10));
  });
  const size = Number(/trailer\n<< \/Size (\d+) /.exec(pdf)![1]);
  return { offsets, start, size };
}

describe('jpegInfo', () => {
  it("reads the size from the start-of-frame segment of chromium's JPEGs", () => {
    expect(jpegInfo(jpeg('canvas-64x40.jpg'))).toEqual({ width: 64, height: 40, components: 3 });
    expect(jpegInfo(jpeg('canvas-30x50.jpg'))).toEqual({ width: 30, height: 50, components: 3 });
  });

  it('refuses bytes that are not a JPEG, or a truncated one, saying which', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(() => jpegInfo(png)).toThrow(/Not a JPEG.*SOI/);
    // Cut before the start-of-frame: the APP segments alone.
    const head = jpeg('canvas-64x40.jpg');
    const sof = head.findIndex((b, i) => b === 0xff && head[i + 1] === 0xc0);
    expect(sof).toBeGreaterThan(0);
    expect(() => jpegInfo(head.subarray(0, sof))).toThrow(/no start-of-frame/);
  });
});

describe('jpegPdf', () => {
  const image = jpeg('canvas-64x40.jpg');
  const pdf = jpegPdf(image, { title: '合川区 消防站选址报告', date: new Date(Date.UTC(2026, 10, 25, 8, 30, 0)) });
  const s = text(pdf);

  it('is a PDF 1.4 file with a binary comment and an end-of-file marker', () => {
    expect(s.startsWith('%PDF-1.4\n%')).toBe(true);
    expect([...pdf.subarray(10, 14)].every((b) => b >= 0x80)).toBe(true);
    expect(s.endsWith('%%EOF\n')).toBe(true);
  });

  it('has a cross-reference table whose every offset is the start of its object', () => {
    const { offsets, size } = xref(s);
    expect(size).toBe(offsets.length + 1);
    offsets.forEach((o, k) => expect(s.slice(o, o + `${k + 1} 0 obj\n`.length)).toBe(`${k + 1} 0 obj\n`));
    expect(s).toMatch(/trailer\n<< \/Size 7 \/Root 1 0 R \/Info 6 0 R >>/);
  });

  it('has one A4 landscape page showing the image', () => {
    expect(s.match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(s).toContain(`/MediaBox [0 0 ${A4_LANDSCAPE.width} ${A4_LANDSCAPE.height}]`);
    expect(s).toContain('/Count 1');
    // Fitted in the 18 pt margin, aspect kept: 64 × 40 is wider than the page, so the width binds.
    const [w, h, x, y] = /q ([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm \/Im0 Do Q/.exec(s)!.slice(1).map(Number);
    expect(w).toBeCloseTo(A4_LANDSCAPE.width - 36, 1);
    expect(w / h).toBeCloseTo(64 / 40, 2);
    // Centred: the margins left and right, and below and above, are equal.
    expect(x).toBeCloseTo(18, 1);
    expect(y).toBeCloseTo((A4_LANDSCAPE.height - h) / 2, 1);
  });

  it('embeds the JPEG byte for byte as a DCTDecode image of its real size', () => {
    expect(s).toMatch(/\/Subtype \/Image \/Width 64 \/Height 40 \/ColorSpace \/DeviceRGB \/BitsPerComponent 8 \/Filter \/DCTDecode \/Length 1111 >>\nstream\n/);
    const start = s.indexOf('stream\n', s.indexOf('/DCTDecode')) + 'stream\n'.length;
    expect(Buffer.from(pdf.subarray(start, start + image.length)).equals(Buffer.from(image))).toBe(true);
    expect(s.slice(start + image.length, start + image.length + '\nendstream'.length)).toBe('\nendstream');
    // The content stream's declared length is its real length.
    const content = /5 0 obj\n<< \/Length (\d+) >>\nstream\n([\s\S]*?)endstream/.exec(s)!;
    expect(Number(content[1])).toBe(content[2].length);
  });

  it('writes a Chinese title as UTF-16BE with a byte-order mark, and the date in UTC', () => {
    const hex = [...'合川区 消防站选址报告'].map((c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')).join('');
    expect(s).toContain(`/Title <FEFF${hex}>`);
    expect(s).toContain('/CreationDate (D:20261125083000Z)');
    expect(text(jpegPdf(image, { title: 'Siting (draft) \\ v2' }))).toContain('/Title (Siting \\(draft\\) \\\\ v2)');
  });

  it('fits a tall image by its height', () => {
    const tall = text(jpegPdf(jpeg('canvas-30x50.jpg')));
    const [w, h] = /q ([\d.]+) 0 0 ([\d.]+) /.exec(tall)!.slice(1).map(Number);
    expect(h).toBeCloseTo(A4_LANDSCAPE.height - 36, 1);
    expect(w / h).toBeCloseTo(30 / 50, 2);
    expect(tall).toContain('/Width 30 /Height 50');
  });

  const tool = (name: string) => spawnSync('which', [name]).status === 0;
  const file = () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-pdf-')), 'report.pdf');
    fs.writeFileSync(f, pdf);
    return f;
  };

  const checkers = { pdfinfo: tool('pdfinfo'), qpdf: tool('qpdf') };
  if (!checkers.pdfinfo) console.warn('pdfinfo is not installed (apt-get install poppler-utils): its check of the PDF is skipped.');
  if (!checkers.qpdf) console.warn('qpdf is not installed (apt-get install qpdf): its check of the PDF is skipped.');

  it.skipIf(!checkers.pdfinfo)('is read by pdfinfo as one A4 landscape page', () => {
    const out = execFileSync('pdfinfo', [file()], { encoding: 'utf8' });
    expect(out).toMatch(/Pages:\s+1/);
    expect(out).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
  });

  it.skipIf(!checkers.qpdf)('passes qpdf --check', () => {
    const out = execFileSync('qpdf', ['--check', file()], { encoding: 'utf8' });
    expect(out).toContain('No syntax or stream encoding errors found');
  });
});
