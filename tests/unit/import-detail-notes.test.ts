/**
 * The details of refused imports in the reader's language: every Note code the readers and the
 * import run put on an error or a row's geometry has a zh-CN and an English message, and a refused
 * answer's `params.detail` renders in Chinese with its nested reason (crs_needed, nothing_to_import).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api-error.js';
import { createI18n } from '../../client/src/i18n';
import { errorDetail } from '../../client/src/i18n/errorDetail';
import { detailParams } from '../../server/errors.js';
import { note } from '../../core/note.js';

const ZH = createI18n('zh');
const EN = createI18n('en');
const DIRS = ['server/formats', 'server/import'];

function codesUsed(): string[] {
  const codes = new Set<string>();
  for (const dir of DIRS) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/\bnote\('([a-z0-9_]+)'/g)) codes.add(m[1]);
    }
  }
  return [...codes].sort();
}

describe('import error details', () => {
  it('has a zh-CN and an English message for every Note the readers and the run use', () => {
    const codes = codesUsed();
    expect(codes).toEqual(expect.arrayContaining(['crs_needed_detail', 'nothing_to_import_detail', 'read_zip_unsafe_name', 'read_shp_no_dbf', 'read_gpkg_many_tables', 'read_kml_not_kml', 'geometry_shp_null']));
    for (const code of codes) {
      expect(ZH.has(`note.${code}`), `zh note.${code}`).toBe(true);
      expect(EN.has(`note.${code}`), `en note.${code}`).toBe(true);
    }
  });

  it('renders a refused answer’s detail, with its nested reason, in Chinese', () => {
    const crs = new ApiError(400, 'crs_needed', 'Cannot tell the coordinate system…', 'crs', detailParams(note('crs_needed_detail', { reason: 'crs_no_zone_fits', crs: 'EPSG:4545' })));
    expect(errorDetail(crs, ZH)).toEqual({
      text: '无法判断文件的坐标系：坐标为不带带号的高斯-克吕格平面坐标，没有哪个投影带能使其落在辖区内。请选择坐标系后重新导入（可选：EPSG:4545）',
      technical: false,
    });
    const nothing = new ApiError(422, 'nothing_to_import', 'No row…', 'file', detailParams(note('nothing_to_import_detail', { reason: 'geometry_shp_null', shape: 1, count: 3, row: 1, field: 'geometry' })));
    expect(errorDetail(nothing, ZH).text).toBe('文件中没有一行可以导入（共 3 个问题；第一个：第 1 行 geometry：第 1 个图形为空（null shape）），未写入任何数据');
    const zip = new ApiError(400, 'unreadable_file', 'x.zip holds…', 'file', detailParams(note('read_zip_unsafe_name', { file: 'x.zip', name: '../../etc/passwd' })));
    expect(errorDetail(zip, ZH).text).toBe('x.zip 中有名为 “../../etc/passwd” 的条目，可能写到文件夹之外，已拒绝：请只在图层文件所在的文件夹内压缩这些文件');
    expect(errorDetail(zip, EN).text).toMatch(/^x\.zip holds an entry named "\.\.\/\.\.\/etc\/passwd"/);
    // An error without a Note keeps the server's text, marked technical.
    expect(errorDetail(new ApiError(400, 'unreadable_file', 'GDAL said no'), ZH)).toEqual({ text: 'GDAL said no', technical: true });
  });
});
