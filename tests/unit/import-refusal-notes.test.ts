/**
 * The refusals a bureau meets with the files read through GDAL and with .xls workbooks say why as a
 * Note (the answer's `params.detail`), so the import form shows them in Chinese, not GDAL's or
 * SheetJS's English. Each case is a real file: the committed fixtures under
 * tests/fixtures/formats/gdal-refusals/ were written by ogr2ogr (GDAL 3.6) —
 *   ogr2ogr -f OpenFileGDB two.gdb points.geojson -nln points
 *   ogr2ogr -f OpenFileGDB -update two.gdb lines.geojson -nln lines   (zipped: two-layers.gdb.zip)
 *   ogr2ogr -f FlatGeobuf empty.fgb points.geojson -where "name='none'"
 * and the others are cut or re-zipped here from the readable fixtures, or written with SheetJS's
 * OLE2 writer (password-protected workbooks: an .xls with a FILEPASS record, an .xlsx wrapped as an
 * EncryptedPackage stream the way Excel and WPS save one with a password).
 */
import fs from 'node:fs';
import XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../client/src/i18n';
import { errorDetail } from '../../client/src/i18n/errorDetail';
import type { Note } from '../../core/note.js';
import { ApiError, detailParams } from '../../server/errors.js';
import { ReadError } from '../../server/formats/source.js';
import { readXlsSheet } from '../../server/formats/xls.js';
import { binaryReader } from '../../server/import/readers.js';
import { foreign } from '../e2e/english.js';

const GDAL = 'tests/fixtures/formats/gdal/';
const REFUSALS = 'tests/fixtures/formats/gdal-refusals/';
const ZH = createI18n('zh');
const EN = createI18n('en');
const bytes = (file: string) => new Uint8Array(fs.readFileSync(file));

/** The Note a reader refuses `file` with (it must refuse with a ReadError that has one). */
async function refusal(read: () => Promise<unknown>): Promise<Note> {
  const err = await read().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReadError);
  const n = (err as ReadError).note;
  expect(n, (err as Error).message).toBeDefined();
  return n!;
}

const gdalRefusal = (name: string, data: Uint8Array, geometry: 'Point' | 'LineString' | 'Polygon' = 'Point') =>
  refusal(async () => {
    const reader = binaryReader(name)!;
    const src = await reader(data, name, { geometry });
    // A streamed source refuses when its batches are read.
    if ('batches' in src) {
      try {
        for await (const _ of src.batches(100, { columns: [], geometryFrom: '' }));
      } finally {
        await src.close();
      }
    }
  });

/** The refusal as the import form says it in zh-CN: a Chinese sentence, no English one. */
function zhText(n: Note): string {
  const { text, technical } = errorDetail(new ApiError(400, 'unreadable_file', 'English', 'file', detailParams(n)), ZH);
  expect(technical).toBe(false);
  expect(foreign(text)).toEqual([]);
  expect(errorDetail(new ApiError(400, 'unreadable_file', 'English', 'file', detailParams(n)), EN).text).not.toMatch(/⟦/);
  return text;
}

/** An .xlsx with one sheet of `rows`, written by exceljs. */
async function workbook(rows: string[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('避难场所').addRows(rows);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** An OLE2 file holding `streams`, written by SheetJS's CFB writer. */
function ole2(streams: Record<string, Uint8Array>): Uint8Array {
  const cfb = XLSX.CFB.utils.cfb_new();
  for (const [name, content] of Object.entries(streams)) XLSX.CFB.utils.cfb_add(cfb, name, content);
  return new Uint8Array(XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
}

/** A real BIFF8 workbook whose Workbook stream starts with a FILEPASS record (RC4, MS-XLS §2.4.117) after its BOF: Excel's "password to open". */
function passwordXls(): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['名称', '经度', '纬度'], ['甲', 106.5, 29.6]]), '避难场所');
  const cfb = XLSX.CFB.read(XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }), { type: 'buffer' });
  const stream = XLSX.CFB.find(cfb, 'Workbook')!;
  const content = Buffer.from(stream.content as Uint8Array);
  const bof = 4 + content.readUInt16LE(2);
  const filepass = Buffer.alloc(4 + 54);
  filepass.writeUInt16LE(0x2f, 0);
  filepass.writeUInt16LE(54, 2);
  filepass.writeUInt16LE(1, 4); // wEncryptionType: RC4
  filepass.writeUInt16LE(1, 6); // version 1.1
  filepass.writeUInt16LE(1, 8);
  stream.content = Buffer.concat([content.subarray(0, bof), filepass, content.subarray(bof)]);
  stream.size = stream.content.length;
  return new Uint8Array(XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
}

describe('GDAL and .xls refusals as Notes', () => {
  it('a file GDAL cannot open (not the format, or damaged): read_gdal_unreadable with the format named', async () => {
    const junk = new Uint8Array(300).map((_, i) => (i * 37 + 11) % 256);
    const n = await gdalRefusal('消防站.dxf', junk);
    expect(n).toEqual({ code: 'read_gdal_unreadable', params: { file: '消防站.dxf', format: 'DXF' } });
    expect(zhText(n)).toBe('消防站.dxf 无法按 DXF 格式读取：文件已损坏、不完整，或并不是这种格式。请用原软件重新导出后再导入');
    const sheet = await gdalRefusal('表.xlsx', new TextEncoder().encode('名称,经度,纬度\n甲,106.5,29.6\n'));
    expect(sheet).toEqual({ code: 'read_gdal_unreadable', params: { file: '表.xlsx', format: 'Excel (.xlsx)' } });
  });

  it('a FlatGeobuf cut short after its header: read_gdal_no_layers', async () => {
    const n = await gdalRefusal('救援队伍.fgb', bytes(`${GDAL}teams.fgb`).slice(0, 200));
    expect(n).toEqual({ code: 'read_gdal_no_layers', params: { file: '救援队伍.fgb' } });
    expect(zhText(n)).toContain('没有图层');
  });

  it('a layer with no features: read_gdal_layer_empty', async () => {
    const n = await gdalRefusal('empty.fgb', bytes(`${REFUSALS}empty.fgb`));
    expect(n).toEqual({ code: 'read_gdal_layer_empty', params: { file: 'empty.fgb', layer: 'p' } });
    expect(zhText(n)).toBe('empty.fgb 的图层 “p” 中没有本图层所需类型的要素，没有可导入的内容');
  });

  it('a geodatabase with a point and a line layer, imported into a polygon layer: read_gdal_many_layers listing them', async () => {
    const n = await gdalRefusal('two-layers.gdb.zip', bytes(`${REFUSALS}two-layers.gdb.zip`), 'Polygon');
    expect(n.code).toBe('read_gdal_many_layers');
    expect(n.params).toMatchObject({ file: 'two-layers.gdb.zip: two.gdb', count: 2 });
    expect(String(n.params!.layers).split('、').sort()).toEqual(['lines', 'points']);
    expect(zhText(n)).toMatch(/^two-layers\.gdb\.zip: two\.gdb 含 2 个图层（.*）/);
  });

  it('zips: two geodatabases, nothing readable, two datasets, a MapInfo table without its .map and .id', async () => {
    const gdb = unzipSync(bytes(`${GDAL}stations.gdb.zip`));
    const twoGdb = zipSync({ ...gdb, ...Object.fromEntries(Object.entries(gdb).map(([k, v]) => [k.replace('stations.gdb', 'copy.gdb'), v])) });
    expect(await gdalRefusal('两库.zip', twoGdb)).toEqual({ code: 'read_zip_gdb_many', params: { file: '两库.zip', count: 2, names: 'stations.gdb、copy.gdb' } });

    const nothing = zipSync({ '说明.txt': new TextEncoder().encode('见附件'), 'photo.jpg': new Uint8Array([0xff, 0xd8]) });
    const none = await gdalRefusal('资料.zip', nothing);
    expect(none).toEqual({ code: 'read_zip_nothing_known', params: { file: '资料.zip', seen: '说明.txt、photo.jpg' } });
    expect(zhText(none)).toMatch(/^资料\.zip 中没有本系统能读取的文件（包含：说明\.txt、photo\.jpg）/);

    const two = zipSync({ 'a.fgb': bytes(`${GDAL}teams.fgb`), 'b.dxf': bytes(`${GDAL}micro-stations.dxf`) });
    expect(await gdalRefusal('两个.zip', two)).toEqual({ code: 'read_zip_datasets_many', params: { file: '两个.zip', count: 2, names: 'a.fgb、b.dxf' } });

    const tab = Object.fromEntries(Object.entries(unzipSync(bytes(`${GDAL}depots-tab.zip`))).filter(([k]) => /\.(tab|dat)$/.test(k)));
    const partial = await gdalRefusal('储备库.zip', zipSync(tab));
    expect(partial).toEqual({ code: 'read_mapinfo_incomplete', params: { file: '储备库.zip', table: '储备库/depots.tab', missing: '.map、.id' } });
    expect(zhText(partial)).toBe('储备库.zip：MapInfo 表 储备库/depots.tab 缺少同名的 .map、.id 文件（数据存放在这些文件中）：请把该表的全部文件一起压缩');
  });

  it('a bare .tab: read_tab_alone', async () => {
    const n = await gdalRefusal('depots.tab', new Uint8Array([1, 2, 3]));
    expect(n).toEqual({ code: 'read_tab_alone', params: { file: 'depots.tab' } });
    expect(zhText(n)).toContain('只是 MapInfo 表的索引');
  });

  it('a sheet without coordinate columns, and one with a header but no rows', async () => {
    const header = await gdalRefusal('名单.xlsx', await workbook([['名称', '地址'], ['观音桥广场', '建新北路']]));
    expect(header).toEqual({ code: 'read_no_coordinate_columns', params: { header: '名称、地址' } });
    expect(zhText(header)).toMatch(/^表头（名称、地址）中没有坐标列/);
    const empty = await gdalRefusal('空表.xlsx', await workbook([['名称', '经度', '纬度']]));
    expect(empty).toEqual({ code: 'read_sheet_no_rows', params: { file: '空表.xlsx', sheet: '避难场所', rows: '1' } });
    expect(zhText(empty)).toBe('空表.xlsx 的工作表 “避难场所” 有表头（第 1 行），但没有数据行');
  });

  it('password-protected workbooks, as .xlsx and as .xls: read_sheet_encrypted', async () => {
    const xlsx = ole2({ EncryptionInfo: new Uint8Array([4, 0, 4, 0, 0x40, 0, 0, 0]), EncryptedPackage: new Uint8Array(64).fill(7) });
    const a = await gdalRefusal('加密.xlsx', xlsx);
    expect(a).toEqual({ code: 'read_sheet_encrypted', params: { file: '加密.xlsx' } });
    expect(zhText(a)).toBe('加密.xlsx 设有打开密码（已加密）：请在 Excel 或 WPS 中取消密码后另存，再导入');
    expect(await refusal(() => readXlsSheet(xlsx, '加密.xls'))).toEqual({ code: 'read_sheet_encrypted', params: { file: '加密.xls' } });
    expect(await refusal(() => readXlsSheet(passwordXls(), '有密码.xls'))).toEqual({ code: 'read_sheet_encrypted', params: { file: '有密码.xls' } });
  });

  it('.xls: not a workbook, damaged, over its time limit', async () => {
    const html = await refusal(() => readXlsSheet(new TextEncoder().encode('<table><tr><td>名称</td></tr></table>'), '导出.xls'));
    expect(html).toEqual({ code: 'read_xls_not_workbook', params: { file: '导出.xls' } });
    expect(zhText(html)).toContain('不是 Excel 97–2003 工作簿');
    const damaged = await refusal(() => readXlsSheet(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 1, 2, 3]), '坏.xls'));
    expect(damaged).toEqual({ code: 'read_xls_unreadable', params: { file: '坏.xls' } });
    const slow = await refusal(() => readXlsSheet(bytes('tests/fixtures/formats/xls/shelters-census.xls'), 'slow.xls', 0.001));
    expect(slow).toEqual({ code: 'read_xls_time_limit', params: { file: 'slow.xls', seconds: 0.001 } });
    expect(zhText({ ...slow, params: { ...slow.params, seconds: 30 } })).toBe('slow.xls 读取超过 30 秒仍未完成：请在 Excel 或 WPS 中另存为 .xlsx 后导入');
  });
});

describe('where the geometry was read from, as a Note', () => {
  /** The source's geometry Note once every batch is read (a streamed source settles it at the end). */
  async function geometryNote(file: string, geometry: 'Point' | 'LineString' = 'Point'): Promise<Note | undefined> {
    const name = file.slice(file.lastIndexOf('/') + 1);
    const src = await binaryReader(name)!(bytes(file), name, { geometry });
    if (!('batches' in src)) return src.geometryNote;
    const into = { columns: [] as string[], geometryFrom: '', geometryNote: undefined as Note | undefined };
    for await (const _ of src.batches(100, into));
    await src.close();
    return into.geometryNote;
  }

  it('for sheets, GDAL layers, shapefiles, KML and GeoPackage, in Chinese', async () => {
    const sheet = await geometryNote(`${GDAL}shelters-census.xlsx`);
    expect(sheet).toEqual({ code: 'import_geometry_sheet_columns', params: { sheet: '应急避难场所', rows: '3–4', lon: '经度', lat: '纬度' } });
    expect(zhText(sheet!)).toBe('工作表 “应急避难场所”，表头第 3–4 行；经度列“经度”、纬度列“纬度”');
    const dxf = await geometryNote(`${GDAL}micro-stations.dxf`);
    expect(dxf).toEqual({ code: 'import_geometry_gdal_other_kinds', params: { file: 'micro-stations.dxf', layer: 'entities', type: expect.any(String), skipped: 1 } });
    expect(zhText(dxf!)).toMatch(/^micro-stations\.dxf 的图层 “entities”（.*，由 GDAL 读取）；另有 1 个其他类型的要素未读入$/);
    const shp = await geometryNote('tests/fixtures/formats/shelters-gk105-gbk-ldid.zip');
    expect(shp?.code).toBe('import_geometry_shapefile');
    expect(zhText(shp!)).toMatch(/^Shapefile .*\.shp（Point），坐标系取自 .*\.prj$/);
    expect(await geometryNote('tests/fixtures/formats/phone-app.kml')).toEqual({ code: 'import_geometry_kml' });
    expect((await geometryNote('tests/fixtures/formats/cgcs2000-shelters.gpkg'))?.code).toBe('import_geometry_gpkg');
  });
});
