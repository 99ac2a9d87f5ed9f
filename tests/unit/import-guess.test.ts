/** Guessing the target layer of a dropped file (client/src/import/guess.ts) from its name and header row. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../core/catalogue/index.js';
import { csvHeaders, guessLayer } from '../../client/src/import/guess.js';

const DIR = path.resolve('tests/fixtures/import-guess');
const { cases } = JSON.parse(fs.readFileSync(path.join(DIR, 'cases.json'), 'utf8')) as {
  cases: { file: string; headers: string[]; layer: string | null }[];
};

describe('guessLayer', () => {
  for (const c of cases) {
    it(`${c.file} ${c.headers.join(',')} → ${c.layer}`, () => {
      expect(guessLayer(LAYERS, c.file, c.headers) ?? null).toBe(c.layer);
    });
  }
});

describe('csvHeaders', () => {
  it('reads the header row of a GB18030 file and of a UTF-8 file with BOM', () => {
    const gb = fs.readFileSync(path.resolve('tests/fixtures/import/shelters-gcj02-gb18030.csv'));
    expect(csvHeaders(gb.subarray(0, 4096), 'shelters-gcj02-gb18030.csv')).toEqual(
      '编号,名称,地址,类别,有效面积（亩）,可容纳人数,状态,联系电话,负责人,乡镇,经度,纬度'.split(','),
    );
    const bom = fs.readFileSync(path.resolve('tests/fixtures/import/shelters-utf8-bom.csv'));
    expect(csvHeaders(bom, 'a.csv')).toEqual(['id', 'name', 'address', 'capacity', 'lng', 'lat']);
  });

  it('cuts a GB18030 file in the middle of a character without failing, and reads nothing from other formats', () => {
    const gb = fs.readFileSync(path.resolve('tests/fixtures/import/shelters-gcj02-gb18030.csv'));
    expect(csvHeaders(gb.subarray(0, 6), 'x.csv')).toEqual(['编号', '']);
    expect(csvHeaders(gb, 'x.geojson')).toEqual([]);
  });
});
