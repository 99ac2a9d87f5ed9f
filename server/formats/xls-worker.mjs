/**
 * Reads one Excel 97–2003 workbook (.xls, BIFF) with SheetJS in a worker thread of its own, started
 * for this one file and ended after it (server/formats/xls.ts, its only caller, holds the types and
 * the time limit). Plain JavaScript, since a worker loads without the TypeScript loader.
 *
 * It answers the first sheet's cells as text, row by row: a number as the value stored (not the
 * text its display format shows, which may round a coordinate), a merged range's value in its
 * first cell only (as the file stores it; server/formats/sheet.ts finds the header from that).
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const XLSX = require('@e965/xlsx');

const text = (v) => (v === null || v === undefined ? '' : String(v).trim());

try {
  const bytes = new Uint8Array(workerData.bytes);
  const wb = XLSX.read(bytes, { type: 'array', cellFormula: false, cellHTML: false, cellStyles: false, cellText: false, cellDates: false });
  const sheet = wb.SheetNames[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  const ws = wb.Sheets[sheet];
  const rows = XLSX.utils.sheet_to_json(ws, { header: 1, raw: true, defval: '', blankrows: true });
  // The rows start at the sheet's used range: keep spreadsheet row numbers and column letters.
  const start = ws['!ref'] ? XLSX.utils.decode_range(ws['!ref']).s : { r: 0, c: 0 };
  const pad = Array(start.c).fill('');
  parentPort.postMessage({ sheet: String(sheet), firstRow: start.r + 1, rows: rows.map((r) => [...pad, ...r.map(text)]) });
} catch (err) {
  parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
