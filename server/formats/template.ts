/**
 * A blank import template for a layer as an Excel workbook (written by exceljs), laid out as the
 * census survey tables are (第一次全国自然灾害综合风险普查 调查表): a title row merged across the
 * table, a 填报单位/填报日期 line, then the header row; point layers end with 经度, 纬度 and other
 * layers with a WKT column. The headers are the census table's column names (or the field labels
 * of a layer the census has no table for), which the import maps back through the catalogue's
 * aliases; enum columns get a drop-down of their Chinese values. The import reads the sheet
 * back with the same header rules (server/formats/sheet.ts).
 */
import { censusColumns, matchColumn, type FieldDef, type LayerDef } from '../../core/catalogue/index.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Rows the drop-downs cover below the header. */
const ROWS = 500;

/** The headers of a layer's template, in the census table's order. */
export function templateColumns(layer: LayerDef, fields: FieldDef[]): string[] {
  // The census table's columns (core/catalogue/census.ts), less those naming a field the caller may not see.
  const seen = new Set(fields.map((f) => f.name));
  return censusColumns(layer.id).filter((h) => {
    const target = matchColumn(layer, h);
    return !target || seen.has(target.field);
  });
}

const letter = (j: number): string => {
  let s = '';
  for (let n = j + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

export async function writeTemplate(layer: LayerDef, fields: FieldDef[]): Promise<Uint8Array> {
  const columns = templateColumns(layer, fields);
  // Loaded on first use: exceljs takes a second or more to load, on every server start otherwise.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = '应急一张图 Emergency OneMap';
  const ws = wb.addWorksheet(layer.name.zh.slice(0, 31));
  const last = letter(columns.length - 1);
  ws.addRow([`${layer.name.zh}调查表`]);
  ws.mergeCells(`A1:${last}1`);
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.addRow(['填报单位：', null, null, '填报日期：']);
  const header = ws.addRow(columns);
  header.font = { bold: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0E8' } };
    c.border = { bottom: { style: 'thin' } };
  });
  columns.forEach((name, j) => {
    ws.getColumn(j + 1).width = Math.max(10, name.length * 2 + 4);
    const field = fields.find((f) => f.label.zh === name);
    const list = field?.type === 'enum' ? `"${field.options!.map((o) => o.zh.replace(/[",]/g, '')).join(',')}"` : undefined;
    // Excel keeps a list of at most 255 characters in the rule itself.
    if (list && list.length <= 255) {
      for (let r = 4; r < 4 + ROWS; r++) ws.getCell(`${letter(j)}${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: [list], showErrorMessage: false };
    }
  });
  ws.views = [{ state: 'frozen', ySplit: 3 }];
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
