/**
 * Zip archives in memory, never on disk. The central directory is read here (names, flags, sizes)
 * so that every entry is checked before a byte is inflated: path traversal, encryption, zip bombs.
 * fflate does the DEFLATE work.
 */
import { inflateSync, zipSync } from 'fflate';
import { note } from '../../core/note.js';
import { decode } from '../import/decode.js';
import { ReadError } from './source.js';

/**
 * Limits against zip bombs: total uncompressed size, and the compression ratio of every entry and
 * of the whole archive — many small entries that each stay under a per-entry floor still add up.
 */
export const MAX_UNZIPPED_BYTES = 500 * 1024 * 1024;
export const MAX_RATIO = 200;
/** Entries (and archives) smaller than this may compress beyond MAX_RATIO harmlessly (a blank DBF page, say). */
const RATIO_FLOOR = 1024 * 1024;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * Entry name as text. Names flagged UTF-8 (bit 11) are UTF-8; others are in the writer's code page,
 * which for a zip made on Chinese Windows is GBK: decode() tells the two apart.
 */
function entryName(raw: Uint8Array, utf8: boolean): string {
  return utf8 ? new TextDecoder().decode(raw) : decode(raw).text;
}

/** The reason a name may not be unpacked, or undefined when it is a plain relative path. */
function unsafeName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL character';
  if (/^[a-zA-Z]:/.test(name)) return 'starts with a drive letter';
  if (/^[/\\]/.test(name)) return 'is an absolute path';
  if (name.split(/[/\\]/).includes('..')) return 'climbs out of the archive with ".."';
  return undefined;
}

/**
 * Unpacks a zip held in memory into name → bytes (folders omitted, names with "/" separators).
 * `label` names the upload in error messages. Throws ReadError for anything that is not a plain,
 * intact, unencrypted zip of reasonable size.
 */
export function unzipEntries(bytes: Uint8Array, label: string): Map<string, Uint8Array> {
  return inflateEntries(bytes, label, zipDirectory(bytes, label));
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  local: number;
}

const corruptZip = (label: string, what: string): ReadError =>
  new ReadError(`${label} is not a readable zip (${what}). Zip the files again (e.g. Windows "Send to → Compressed folder", or 7-Zip) and upload the new file.`, note('read_zip_corrupt', { file: label }));

/** The names of a zip's files (folders omitted), checked as unzipEntries checks them, without inflating anything. */
export const zipNames = (bytes: Uint8Array, label: string): string[] => zipDirectory(bytes, label).map((e) => e.name);

function zipDirectory(bytes: Uint8Array, label: string): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (what: string): ReadError => corruptZip(label, what);
  // The end-of-central-directory record is in the last 22 + 65 535 (comment) bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end-of-archive record: the file is cut short or is not a zip');
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ReadError(`${label} is a ZIP64 archive (over 4 GB or 65 535 files), far beyond the import limit: split the data into smaller files.`, note('read_zip_too_large', { file: label }));
  const entries: Entry[] = [];
  let p = cdOffset;
  let total = 0;
  let totalCompressed = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) throw corrupt(`central directory entry ${i + 1} of ${count} is damaged`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const csize = view.getUint32(p + 20, true);
    const usize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    if (p + 46 + nameLen > bytes.length) throw corrupt(`central directory entry ${i + 1} of ${count} is damaged`);
    const name = entryName(bytes.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
    p += 46 + nameLen + extraLen + commentLen;
    const unsafe = unsafeName(name);
    if (unsafe) {
      throw new ReadError(
        `${label} holds an entry named "${name}", which ${unsafe}; such a zip could write outside its folder, so it was refused. Zip only the layer's files (.shp, .shx, .dbf, .prj, .cpg) from inside their folder.`,
        note('read_zip_unsafe_name', { file: label, name }),
      );
    }
    if (name.endsWith('/') || name.endsWith('\\')) continue;
    if (flags & 1) throw new ReadError(`${label}: "${name}" is encrypted (password-protected zip). Zip the files again without a password.`, note('read_zip_encrypted', { file: label, name }));
    if (method !== 0 && method !== 8) {
      throw new ReadError(
        `${label}: "${name}" is compressed with method ${method}; only "deflate" and "store" are read. Zip the files again with standard (deflate) compression.`,
        note('read_zip_method', { file: label, name, method }),
      );
    }
    if (usize === 0xffffffff || csize === 0xffffffff) throw new ReadError(`${label}: "${name}" is a ZIP64 entry (over 4 GB), far beyond the import limit.`, note('read_zip_too_large', { file: label }));
    total += usize;
    totalCompressed += csize;
    if (total > MAX_UNZIPPED_BYTES) {
      throw new ReadError(
        `${label} unpacks to more than ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB, which is refused as a possible zip bomb. Split the data into smaller files.`,
        note('read_zip_bomb_size', { file: label, mb: MAX_UNZIPPED_BYTES / 1024 / 1024 }),
      );
    }
    if (usize > RATIO_FLOOR && usize > csize * MAX_RATIO) {
      throw new ReadError(
        `${label}: "${name}" would expand ${Math.round(usize / Math.max(csize, 1))} times (${(usize / 1024 / 1024).toFixed(1)} MB from ${csize} bytes), more than the ${MAX_RATIO}× allowed; refused as a possible zip bomb.`,
        note('read_zip_bomb_ratio', { file: label, ratio: MAX_RATIO }),
      );
    }
    if (total > RATIO_FLOOR && total > totalCompressed * MAX_RATIO) {
      throw new ReadError(
        `${label}: its first ${i + 1} entries would expand ${Math.round(total / Math.max(totalCompressed, 1))} times (${(total / 1024 / 1024).toFixed(1)} MB from ${totalCompressed} bytes), more than the ${MAX_RATIO}× allowed; refused as a possible zip bomb.`,
        note('read_zip_bomb_ratio', { file: label, ratio: MAX_RATIO }),
      );
    }
    entries.push({ name: name.replace(/\\/g, '/'), method, crc, csize, usize, local });
  }
  return entries;
}

function inflateEntries(bytes: Uint8Array, label: string, entries: Entry[]): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (what: string): ReadError => corruptZip(label, what);
  const out = new Map<string, Uint8Array>();
  for (const e of entries) {
    if (out.has(e.name)) throw new ReadError(`${label} holds "${e.name}" twice; zip the files again so that each name appears once.`, note('read_zip_duplicate', { file: label, name: e.name }));
    if (e.local + 30 > bytes.length || view.getUint32(e.local, true) !== LOCAL) throw corrupt(`the entry "${e.name}" is damaged`);
    const start = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
    if (start + e.csize > bytes.length) throw corrupt(`the entry "${e.name}" is cut short`);
    const raw = bytes.subarray(start, start + e.csize);
    let data: Uint8Array;
    try {
      // Inflating into a buffer of the declared size truncates a lying entry; its CRC then fails.
      data = e.method === 0 ? raw.slice() : inflateSync(raw, { out: new Uint8Array(e.usize) });
    } catch (err) {
      throw corrupt(`the entry "${e.name}" cannot be decompressed: ${(err as Error).message}`);
    }
    if (data.length !== e.usize || crc32(data) !== e.crc) throw corrupt(`the entry "${e.name}" fails its checksum`);
    out.set(e.name, data);
  }
  return out;
}

/** Packs name → bytes into a deflated zip (names are written UTF-8-flagged by fflate when needed). */
export function zipEntries(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(files, { level: 6 });
}
