/**
 * The header of a spreadsheet as bureaus make them: a title row above the table (often merged
 * across it: "江北区应急避难场所调查表"), a line such as "填报单位：…  填报日期：…", and a header of
 * one to three rows where a merged parent ("坐标", "储备物资数量") spans its children ("经度",
 * "纬度"; "帐篷（顶）", "棉被（床）"). A merged cell's value is in its first cell only, the others
 * are empty, which is what finds a two-row header: its second row has names under empty cells.
 */

const NUMBER = /^[-+]?(\d[\d,]*)?(\.\d+)?([eE][-+]?\d+)?$/;
const isNumber = (s: string): boolean => s !== '' && /\d/.test(s) && NUMBER.test(s.replace(/\s/g, ''));

export interface SheetRow {
  /** Row number as the spreadsheet shows it (from 1). */
  row: number;
  cells: string[];
}

export interface SheetHeader {
  /** One name per column: the lowest header cell of the column (the most specific). */
  columns: string[];
  /** Spreadsheet row numbers of the header rows. */
  headerRows: number[];
  /** Index in `rows` of the first row after the header. */
  dataStart: number;
}

const filled = (cells: string[]): number => cells.filter((c) => c !== '').length;
const columnName = (j: number): string => {
  let s = '';
  for (let n = j + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/**
 * Finds the header among the first rows: the first row, of the first ten, that fills at least half
 * the table's width (and two cells, and 60 % of the fullest such row) with text, none of it a
 * number; the rows before it are titles.
 * A following row of text only that names a column the header left empty continues the header.
 * Undefined when no row looks like a header.
 */
export function sheetHeader(rows: SheetRow[]): SheetHeader | undefined {
  const width = Math.max(0, ...rows.slice(0, 50).map((r) => filled(r.cells)));
  const textOnly = (cells: string[]): boolean => cells.every((c) => c === '' || !isNumber(c));
  const text = rows.slice(0, 10).filter((r) => textOnly(r.cells));
  // A 填报单位/填报日期 line is text too, but a short one next to the header.
  const least = Math.max(2, Math.ceil(width / 2), 0.6 * Math.max(0, ...text.map((r) => filled(r.cells))));
  const start = rows.slice(0, 10).findIndex((r) => filled(r.cells) >= least && textOnly(r.cells));
  if (start < 0) return undefined;
  const header = [rows[start]];
  for (let k = start + 1; k < rows.length && header.length < 3; k++) {
    const cells = rows[k].cells;
    const under = cells.some((c, j) => c !== '' && header.every((h) => (h.cells[j] ?? '') === ''));
    if (filled(cells) === 0 || !textOnly(cells) || !under) break;
    header.push(rows[k]);
  }
  const n = Math.max(...header.map((h) => h.cells.length));
  const lowest = Array.from({ length: n }, (_, j) => [...header].reverse().map((h) => h.cells[j] ?? '').find((c) => c !== '') ?? '');
  // A parent spans the empty cells to its right in its row; it tells apart children of the same name.
  const parentOf = (j: number): string => {
    if (header.length < 2) return '';
    const top = header[0].cells;
    for (let i = j; i >= 0; i--) if ((top[i] ?? '') !== '') return top[i] === lowest[j] ? '' : top[i];
    return '';
  };
  const count = new Map<string, number>();
  for (const c of lowest) count.set(c, (count.get(c) ?? 0) + 1);
  const columns = lowest.map((c, j) => {
    if (c === '') return `列${columnName(j)}`;
    if (count.get(c)! > 1 && parentOf(j)) return `${parentOf(j)}·${c}`;
    return c;
  });
  return { columns, headerRows: header.map((h) => h.row), dataStart: start + header.length };
}
