import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCrs } from '../../core/geo/detect-crs.js';
import { fileEncoding } from '../../server/import/decode.js';
import { GeojsonScanner } from '../../server/import/geojson-scan.js';
import { PROGRESS_TTL_MS, ProgressBoard } from '../../server/import/progress.js';
import type { SourceRecord } from '../../server/formats/source.js';
import { CsvParser, parseCsv, readSource } from '../../server/import/read.js';
import { openSource } from '../../server/import/stream.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-stream-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

async function all(filename: string, content: string | Uint8Array, batch = 2) {
  const src = await openSource({ path: file(filename, content), filename }, batch);
  const batches: SourceRecord[][] = [];
  for await (const b of src.batches) batches.push(b);
  return { src, batches, records: batches.flat() };
}

const CSV = 'id,名称,lon,lat\r\n1,"a, ""b""",106.5,29.6\r\n\r\n2,"多行\n地址",106.6,29.7\r\n3,c,106.7,29.8\r\n';

describe('CSV read incrementally', () => {
  it('gives the same rows however the text is cut into chunks', () => {
    const whole = parseCsv(CSV);
    expect(whole[1]).toEqual(['1', 'a, "b"', '106.5', '29.6']);
    for (let size = 1; size <= CSV.length; size++) {
      const p = new CsvParser();
      const rows: string[][] = [];
      for (let i = 0; i < CSV.length; i += size) rows.push(...p.push(CSV.slice(i, i + size)));
      rows.push(...p.end());
      expect(rows, `chunks of ${size}`).toEqual(whole);
    }
  });

  it('streams a file in batches with the line numbers and values of the in-memory reader', async () => {
    const { batches, records, src } = await all('a.csv', CSV);
    expect(batches.map((b) => b.length)).toEqual([2, 1]);
    expect(records).toEqual(readSource(CSV, 'csv').records);
    expect(records.map((r) => r.row)).toEqual([2, 4, 6]);
    expect(src.encoding).toBe('utf-8');
    expect(src.geometryFrom).toMatch(/"lon"/);
  });

  it('decodes GB18030 even when the first non-ASCII byte comes late, and reads it in chunks', async () => {
    const text = `名称,经度,纬度\n${Array.from({ length: 20000 }, (_, i) => `p${i},106.5,29.6`).join('\n')}\n𠮷祥公园,106.6,29.7\n`;
    const bytes = new Uint8Array(iconv.encode(text, 'gb18030'));
    expect(await fileEncoding(file('late.csv', bytes))).toBe('gb18030');
    const { records, src } = await all('late.csv', bytes, 5000);
    expect(src.encoding).toBe('gb18030');
    expect(records).toHaveLength(20001);
    expect(records[20000].values).toEqual({ 名称: '𠮷祥公园' });
  });

  it('refuses an empty file, a blank one and a header without rows, saying which', async () => {
    await expect(all('e.csv', '')).rejects.toThrow(/empty \(0 bytes\)/);
    await expect(all('b.csv', '\n \n')).rejects.toThrow(/empty: expected a header row/);
    await expect(all('h.csv', '\uFEFF名称,经度,纬度\r\n')).rejects.toThrow(/header but no data rows/);
  });
});

const FC = {
  type: 'FeatureCollection',
  name: 'x "quoted" {brace} [bracket]',
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4545' } },
  totalFeatures: 3,
  features: [
    { type: 'Feature', id: 'a', properties: { name: 'a}"]', n: 1 }, geometry: { type: 'Point', coordinates: [361911.4, 3277287.6] } },
    { type: 'Feature', properties: { note: null }, geometry: null },
    { type: 'Feature', id: 7, properties: { nested: { list: [1, [2, { x: '\\' }]] } }, geometry: { type: 'Point', coordinates: [1, 2] } },
  ],
  bbox: [1, 2, 3, 4],
};

describe('GeoJSON read incrementally', () => {
  it('splits the features out and keeps the other members, however the text is cut', () => {
    const text = JSON.stringify(FC, null, 1);
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const s = new GeojsonScanner();
      const features: string[] = [];
      for (let i = 0; i < text.length; i += size) features.push(...s.push(text.slice(i, i + size)));
      s.end();
      expect(features.map((f) => JSON.parse(f)), `chunks of ${size}`).toEqual(FC.features);
      expect(s.members).toEqual({ type: FC.type, name: FC.name, crs: FC.crs, totalFeatures: 3, bbox: FC.bbox });
    }
  });

  it('streams records with the CRS the file declares, a single Feature too', async () => {
    const { records, src } = await all('a.geojson', JSON.stringify(FC));
    expect(records.map((r) => [r.row, r.id])).toEqual([[1, 'a'], [2, undefined], [3, '7']]);
    expect(records[1].geometryError).toMatch(/no geometry/);
    expect(src.crs?.name).toBe('EPSG:4545');
    expect(src.columns).toEqual(['name', 'n', 'note', 'nested']);
    const one = await all('one.json', JSON.stringify(FC.features[0]));
    expect(one.records).toEqual([expect.objectContaining({ row: 1, id: 'a', geometry: FC.features[0].geometry })]);
  });

  it('says what is wrong with broken JSON', async () => {
    await expect(all('cut.geojson', JSON.stringify(FC).slice(0, 200))).rejects.toThrow(/ends in the middle/);
    await expect(all('bad.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature",geometry:1}]}')).rejects.toThrow(/Not valid JSON in feature 1/);
    await expect(all('arr.geojson', '[1,2]')).rejects.toThrow(/Not a GeoJSON object/);
    await expect(all('none.geojson', '{"type":"FeatureCollection","features":[]}')).rejects.toThrow(/No features/);
  });
});

describe('CRS detection (fixtures)', () => {
  const dir = 'tests/fixtures/detect-crs/';
  for (const name of fs.readdirSync(dir)) {
    it(name, () => {
      const fx = JSON.parse(fs.readFileSync(dir + name, 'utf8'));
      const guess = detectCrs(fx.points, fx.area);
      expect(guess.crs?.name).toBe(fx.expected.crs);
      expect(guess.candidates).toEqual(fx.expected.candidates);
      expect(guess.reason.length).toBeGreaterThan(20);
    });
  }
});

describe('import progress', () => {
  it('tracks an import by id, refuses a second one with the same id while it runs, and forgets it after 10 minutes', () => {
    let now = 0;
    const board = new ProgressBoard(() => now);
    const p = board.start('job-1')!;
    expect(board.start('job-1')).toBeUndefined();
    board.update(p, { phase: 'writing', rowsRead: 2000, rowsWritten: 1500 });
    expect(board.get('job-1')).toEqual({ importId: 'job-1', phase: 'writing', bytesReceived: 0, rowsRead: 2000, rowsWritten: 1500 });
    board.update(p, { phase: 'done' });
    now += PROGRESS_TTL_MS - 1;
    expect(board.get('job-1')?.phase).toBe('done');
    now += 2;
    expect(board.get('job-1')).toBeUndefined();
    expect(board.start('job-1')).toBeDefined();
  });
});
