/**
 * Excel 97–2003 workbooks (.xls, BIFF8): GDAL built for WebAssembly has no .xls driver, so the
 * first sheet is read with SheetJS (npm `@e965/xlsx` 0.20.3, SheetJS's own build republished on
 * npm; the `xlsx` package on npm stopped at 0.18.5, which has two published advisories:
 * prototype pollution, CVE-2023-30533, fixed in 0.19.3, and ReDoS, CVE-2024-22363, fixed in 0.20.2).
 *
 * The parser still reads untrusted binary files, from a republisher rather than SheetJS itself,
 * so it runs contained (xls-worker.mjs):
 * - in a worker thread started for one file and ended after it: a polluted prototype lives in the
 *   worker's own JavaScript realm and dies with it, never reaching the server's objects;
 * - on a copy of the upload's bytes (transferred to the worker), so nothing it does touches the
 *   server's buffers;
 * - with a time limit (the worker is terminated: a pathological regular expression or a loop ends
 *   there) and a heap limit (a decompression bomb ends the worker, not the server);
 * - answering plain strings only (structured clone), which carry no prototypes back.
 */
import { Worker } from 'node:worker_threads';
import { note } from '../../core/note.js';
import type { SheetRow } from './sheet.js';
import { ReadError } from './source.js';

/** Seconds one workbook may take to read; a census table takes well under one. */
export const XLS_TIME_LIMIT_S = 30;
const HEAP_MB = 512;

export interface XlsSheet {
  /** The first sheet's name, as the workbook calls it. */
  name: string;
  rows: SheetRow[];
}

/** Every Excel 97–2003 workbook is an OLE2 compound file (MS-CFB §2.2: the header signature). */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** The stream a password-protected .xlsx is stored in, inside an OLE2 file (MS-OFFCRYPTO §2.3.4.4), as its directory spells it (UTF-16LE). */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

const isOle2 = (bytes: Uint8Array): boolean => bytes.length >= OLE2.length && OLE2.every((b, i) => bytes[i] === b);

/** A password-protected Office Open XML workbook: Excel and WPS wrap the encrypted .xlsx in an OLE2 file. */
export const isEncryptedOoxml = (bytes: Uint8Array): boolean => isOle2(bytes) && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ENCRYPTED_PACKAGE);

/** SheetJS's words for a workbook it cannot open without its password (a FILEPASS record, or an encrypted package). */
const PASSWORD = /password|encrypt/i;

/** The first sheet of an .xls workbook, every cell as text. */
export async function readXlsSheet(bytes: Uint8Array, filename: string, timeLimitS = XLS_TIME_LIMIT_S): Promise<XlsSheet> {
  // SheetJS would read any text as a one-column sheet; only a real workbook goes to it.
  if (!isOle2(bytes)) {
    throw new ReadError(
      `${filename} is not an Excel 97–2003 workbook (a web system's ".xls" export is often an HTML or XML table): open it in Excel or WPS and save it as .xlsx, then import that.`,
      note('read_xls_not_workbook', { file: filename }),
    );
  }
  const encrypted = () =>
    new ReadError(`${filename} is password-protected: open it in Excel or WPS, remove the password (save without encryption) and import that.`, note('read_sheet_encrypted', { file: filename }));
  if (isEncryptedOoxml(bytes)) throw encrypted();
  const unreadable = (why: string) =>
    new ReadError(`${filename} could not be read as an Excel 97–2003 workbook${why}: open it in Excel or WPS and save it as .xlsx, then import that.`, note('read_xls_unreadable', { file: filename }));
  const copy = bytes.slice().buffer;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./xls-worker.mjs', import.meta.url), {
      workerData: { bytes: copy },
      transferList: [copy],
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new ReadError(
              `${filename} took more than ${timeLimitS} s to read as an Excel 97–2003 workbook: save it as .xlsx in Excel or WPS and import that.`,
              note('read_xls_time_limit', { file: filename, seconds: timeLimitS }),
            ),
          ),
        ),
      timeLimitS * 1000,
    );
    worker.on('message', (m: { sheet?: string; firstRow?: number; rows?: string[][]; error?: string }) => {
      if (m.error !== undefined || !m.rows) {
        settle(() => reject(PASSWORD.test(m.error ?? '') ? encrypted() : unreadable(` (${m.error})`)));
        return;
      }
      const rows = m.rows.map((cells, i) => ({ row: (m.firstRow ?? 1) + i, cells }));
      settle(() => resolve({ name: m.sheet ?? '', rows }));
    });
    worker.on('error', (err) => settle(() => reject(unreadable(` (${err.message})`))));
    worker.on('exit', () => settle(() => reject(unreadable(''))));
  });
}
