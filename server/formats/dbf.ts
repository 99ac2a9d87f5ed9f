/**
 * dBASE III tables (a shapefile's .dbf): character, number, float, logical and date fields;
 * records marked deleted are skipped. Text is decoded in the encoding the .cpg names, else the one
 * the language-driver byte names, else the one the bytes themselves show (server/import/decode.ts):
 * Chinese shapefiles come in GBK from ArcGIS and older QGIS, and in UTF-8 from newer QGIS.
 */
import iconv from 'iconv-lite';
import { note } from '../../core/note.js';
import { decode } from '../import/decode.js';
import { ReadError } from './source.js';

export interface DbfField {
  name: string;
  type: string;
  length: number;
  decimals: number;
}

export interface DbfTable {
  fields: DbfField[];
  /** One entry per record in file order, `null` for a record marked deleted. */
  records: (Record<string, string | number | boolean | null> | null)[];
  /** The iconv name used, e.g. 'gb18030' or 'utf-8'. */
  encoding: string;
  /** Where the encoding came from, e.g. '.cpg "GBK"', 'language driver 0x4D', 'detected'. */
  encodingFrom: string;
}

/** Code-page names found in .cpg files → the iconv encoding that reads them; GBK family → GB18030, its superset. */
function encodingOfCpg(cpg: string): string | undefined {
  const s = cpg.trim().toLowerCase().replace(/^ansi\s*/, '').replace(/[\s_-]/g, '');
  if (['utf8', '65001'].includes(s)) return 'utf-8';
  if (['gbk', 'gb2312', 'gb18030', '936', 'cp936', '54936', 'euccn', 'windows936'].includes(s)) return 'gb18030';
  if (['big5', '950', 'cp950'].includes(s)) return 'big5';
  if (/^\d+$/.test(s) && iconv.encodingExists(`cp${s}`)) return `cp${s}`;
  return iconv.encodingExists(s) ? s : undefined;
}

/**
 * Language-driver ids that name a Chinese code page. Others (0x57 "ANSI", 0x03 Windows-1252…) say
 * only what the writing machine's locale was, which for Chinese data is usually wrong: detect instead.
 */
const LDID: Record<number, string> = { 0x4d: 'gb18030', 0x7a: 'gb18030', 0x4f: 'big5', 0x78: 'big5' };

const isUtf8 = (b: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
};

/**
 * A UTF-8 field name without a character cut in two: names have 10 bytes, and writers (GDAL too)
 * cut "道路名称" (12 bytes in UTF-8) to "道路名" plus the first byte of "称". (Only for UTF-8:
 * in GBK the same bytes are whole characters.)
 */
function withoutCutUtf8(name: Uint8Array): Uint8Array {
  for (let k = 1; k <= Math.min(3, name.length); k++) {
    const b = name[name.length - k];
    if (b < 0x80) return name;
    if (b >= 0xc0) return k < (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) ? name.subarray(0, name.length - k) : name;
  }
  return name;
}

/** The platform's WHATWG decoder where it knows the encoding (several times faster), else iconv-lite. */
function textDecoder(encoding: string): (b: Uint8Array) => string {
  try {
    const d = new TextDecoder(encoding);
    return (b) => d.decode(b);
  } catch {
    return (b) => iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), encoding);
  }
}

export function readDbf(bytes: Uint8Array, label: string, cpg?: string): DbfTable {
  if (bytes.length < 32) throw new ReadError(`${label} is too short to be a dBASE table (${bytes.length} bytes). Export the layer again.`, note('read_dbf_damaged', { file: label }));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const ldid = bytes[29];
  if (headerLength < 33 || headerLength > bytes.length || recordLength < 1) throw new ReadError(`${label} has a damaged header (header ${headerLength} bytes, record ${recordLength} bytes). Export the layer again.`, note('read_dbf_damaged', { file: label }));
  const rawFields: { name: Uint8Array; type: string; length: number; decimals: number; offset: number }[] = [];
  let offset = 1;
  for (let p = 32; p + 32 <= headerLength && bytes[p] !== 0x0d; p += 32) {
    const nameBytes = bytes.subarray(p, p + 11);
    const end = nameBytes.indexOf(0);
    rawFields.push({ name: nameBytes.subarray(0, end < 0 ? 11 : end), type: String.fromCharCode(bytes[p + 11]), length: bytes[p + 16], decimals: bytes[p + 17], offset });
    offset += bytes[p + 16];
  }
  if (offset > recordLength) throw new ReadError(`${label}: the fields take ${offset} bytes but a record is ${recordLength}. The table is damaged; export the layer again.`, note('read_dbf_damaged', { file: label }));
  const available = Math.floor((bytes.length - headerLength) / recordLength);
  const n = Math.min(count, available);

  let encoding: string | undefined;
  let encodingFrom: string;
  if (cpg !== undefined && (encoding = encodingOfCpg(cpg))) encodingFrom = `.cpg "${cpg.trim()}"`;
  else {
    // All text bytes of the table, to see what they are.
    const parts: Uint8Array[] = rawFields.map((f) => withoutCutUtf8(f.name));
    for (let r = 0; r < n; r++) {
      const base = headerLength + r * recordLength;
      for (const f of rawFields) if (f.type === 'C') parts.push(bytes.subarray(base + f.offset, base + f.offset + f.length));
    }
    const text = new Uint8Array(parts.reduce((s, b) => s + b.length + 1, 0));
    parts.reduce((at, b) => (text.set(b, at), at + b.length + 1), 0);
    const nonAscii = text.some((b) => b >= 0x80);
    if (LDID[ldid] && !(nonAscii && isUtf8(text))) {
      encoding = LDID[ldid];
      encodingFrom = `language driver 0x${ldid.toString(16).toUpperCase()}`;
    } else {
      encoding = decode(text).encoding === 'gb18030' ? 'gb18030' : 'utf-8';
      encodingFrom = cpg !== undefined ? `detected (.cpg "${cpg.trim()}" not understood)` : 'detected';
    }
  }
  const text = textDecoder(encoding);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  const fields: DbfField[] = rawFields.map((f) => ({ name: text(encoding === 'utf-8' ? withoutCutUtf8(f.name) : f.name).trim(), type: f.type, length: f.length, decimals: f.decimals }));
  const records: DbfTable['records'] = [];
  for (let r = 0; r < n; r++) {
    const base = headerLength + r * recordLength;
    if (bytes[base] === 0x2a) {
      records.push(null);
      continue;
    }
    const rec: Record<string, string | number | boolean | null> = {};
    rawFields.forEach((f, j) => {
      const start = base + f.offset;
      const name = fields[j].name;
      if (f.type === 'C') {
        // Padding is spaces (or NULs from some writers): trim bytes before decoding.
        let end = start + f.length;
        while (end > start && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0)) end--;
        rec[name] = end === start ? null : text(bytes.subarray(start, end));
        return;
      }
      const s = buf.toString('latin1', start, start + f.length).replace(/\0/g, '').trim();
      if (f.type === 'N' || f.type === 'F') {
        // Blank or asterisks (overflow) mean no value.
        const v = s === '' || /^\*+$/.test(s) ? NaN : Number(s.replace(',', '.'));
        rec[name] = Number.isFinite(v) ? v : null;
      } else if (f.type === 'L') rec[name] = /^[TtYy]$/.test(s) ? true : /^[FfNn]$/.test(s) ? false : null;
      else if (f.type === 'D') rec[name] = /^\d{8}$/.test(s) && s !== '00000000' ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : null;
      else rec[name] = s === '' ? null : s;
    });
    records.push(rec);
  }
  return { fields, records, encoding, encodingFrom };
}
