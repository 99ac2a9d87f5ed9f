/**
 * The import's row work — read and decode the upload (stream.ts), settle the CRS on the first batch,
 * map the columns and prepare the rows (prepare.ts) — as it runs in the import's worker thread
 * (server/workers/import-worker.ts), talking to the thread that writes (run.ts) over a MessagePort:
 *
 *   worker → main: opened · crs (or an error) · batch … batch · end     (or error, at any point)
 *   main → worker: go {area} once the county is checked · more, one per batch taken
 *
 * At most ROWS_AHEAD prepared batches wait for the writer, so a fast reader never fills the memory
 * of a slow database. Everything crossing is plain data (structured clone): features, rejections,
 * notes, the CRS by name.
 */
import type { MessagePort } from 'node:worker_threads';
import type { LayerDef } from '../../core/catalogue/index.js';
import { parseCrs, type Bbox, type CoordinateWarning, type Crs, type CrsName } from '../../core/geo/crs.js';
import { describe, detectCrs } from '../../core/geo/detect-crs.js';
import { note, type Note } from '../../core/note.js';
import { ReadError, type Format, type SourceRecord } from '../formats/source.js';
import type { Encoding } from './decode.js';
import type { ColumnMap } from './mapping.js';
import { Preparer, type PreparedBatch } from './prepare.js';
import { openSource, type Upload } from './stream.js';

/** Prepared batches that may wait for the writer: one written while the next is ready. */
export const ROWS_AHEAD = 2;

export interface RowTask {
  upload: Upload;
  layer: LayerDef;
  /** Rows read together; the first batch is the CRS detection's sample. */
  batchSize: number;
  /** Rows per prepared part (the store's write size, IMPORT_BATCH_ROWS). */
  writeSize: number;
  /** The CRS the caller states, by name; absent = the file's own, else detected. */
  crs?: string;
  /** The file's name for the rows' `source` ("import: shelters.csv"); its format when it has none. */
  filename?: string;
  idPrefix: string;
}

export interface SettledCrs {
  crs: CrsName;
  crsFrom: 'request' | 'file' | 'detected';
  crsCandidates: CrsName[];
  crsReason?: Note;
}

/** What the report needs from the reader once every row is read. */
export interface RowsEnd {
  format: Format;
  encoding?: Encoding | string;
  geometryFrom: string;
  geometryNote?: Note;
  /** The CRS the file declares, as known at the end (a GeoJSON "crs" after its features). */
  declaredCrs?: CrsName;
  columns: ColumnMap;
  warnings: CoordinateWarning[];
  /** The worker thread that did the row work. */
  threadId: number;
}

/** An error thrown in the worker, as plain data: run.ts throws the same kind again. */
export interface RowError {
  kind: 'read' | 'crs_needed' | 'other';
  message: string;
  note?: Note;
  candidates?: CrsName[];
}

export type ToWriter =
  | { type: 'opened' }
  | { type: 'crs'; settled: SettledCrs }
  | { type: 'batch'; rowsRead: number; parts: PreparedBatch[] }
  | { type: 'end'; end: RowsEnd }
  | { type: 'error'; error: RowError };

export type ToReader = { type: 'go'; area?: Bbox } | { type: 'more' };

/** Source positions of the records, for detecting the CRS. */
function samplePoints(records: SourceRecord[], max = 10_000): [number, number][] {
  const out: [number, number][] = [];
  const walk = (c: unknown): void => {
    if (out.length >= max || !Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      if (Number.isFinite(c[0]) && Number.isFinite(c[1])) out.push([c[0], c[1] as number]);
    } else c.forEach(walk);
  };
  for (const r of records) if (r.geometry && r.geometry.type !== 'GeometryCollection') walk(r.geometry.coordinates);
  return out;
}

class CrsNeededHere extends Error {
  constructor(
    message: string,
    readonly candidates: CrsName[],
    readonly note?: Note,
  ) {
    super(message);
  }
}

const asRowError = (err: unknown): RowError => {
  const e = err as Error;
  if (err instanceof ReadError) return { kind: 'read', message: e.message, note: err.note };
  if (err instanceof CrsNeededHere) return { kind: 'crs_needed', message: e.message, note: err.note, candidates: err.candidates };
  return { kind: 'other', message: e?.stack ?? String(err) };
};

/** Messages from the writer, awaited one kind at a time. */
class Inbox {
  private credits = 0;
  private area: { area?: Bbox } | undefined;
  private wake: (() => void) | undefined;

  constructor(port: MessagePort) {
    port.on('message', (m: ToReader) => {
      if (m.type === 'go') {
        this.area = { area: m.area };
        this.credits = ROWS_AHEAD;
      } else this.credits++;
      this.wake?.();
    });
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
  }

  async go(): Promise<Bbox | undefined> {
    await this.until(() => this.area !== undefined);
    return this.area!.area;
  }

  async credit(): Promise<void> {
    await this.until(() => this.credits > 0);
    this.credits--;
  }
}

/** Runs one import's row work, posting to `port`; resolves once the last message is posted. */
export async function produceRows(task: RowTask, port: MessagePort, threadId: number): Promise<void> {
  const inbox = new Inbox(port);
  const post = (m: ToWriter): void => port.postMessage(m);
  let close = async (): Promise<void> => undefined;
  try {
    const src = await openSource({ ...task.upload, geometry: task.layer.geometry }, task.batchSize);
    close = src.close;
    const batches = src.batches[Symbol.asyncIterator]();
    post({ type: 'opened' });
    const area = await inbox.go();
    const first = await batches.next();
    if (first.done) throw new ReadError('The file has no rows.');

    let crs: Crs;
    let settled: SettledCrs;
    const stated = task.crs === undefined ? undefined : parseCrs(task.crs);
    if (stated) {
      crs = stated;
      settled = { crs: stated.name, crsFrom: 'request', crsCandidates: [stated.name] };
    } else if (src.crs) {
      crs = src.crs;
      settled = { crs: src.crs.name, crsFrom: 'file', crsCandidates: [src.crs.name], crsReason: note('crs_declared', { crs: src.crs.name }) };
    } else {
      const guess = detectCrs(samplePoints(first.value), area);
      if (!guess.crs) {
        throw new CrsNeededHere(
          `Cannot tell the coordinate system of the file: ${guess.reason}. Import again with crs=${guess.candidates[0] ?? 'EPSG:45xx'}` +
            (guess.candidates.length > 1 ? ` (or one of ${guess.candidates.map(describe).join(', ')})` : '') +
            '.',
          guess.candidates,
          // The reason is a Note of its own, flattened into the params (`reason` is its code).
          note('crs_needed_detail', { ...guess.note?.params, reason: guess.note?.code ?? 'crs_no_coordinates', crs: guess.candidates.join('、') || 'EPSG:45xx' }),
        );
      }
      crs = guess.crs;
      settled = { crs: guess.crs.name, crsFrom: 'detected', crsCandidates: guess.candidates, crsReason: guess.note };
    }
    post({ type: 'crs', settled });

    // The outside-the-area check is against the county polygons (run.ts), not the extent box.
    const preparer = new Preparer(task.layer, { crs, source: `import: ${task.filename ?? src.format}`, idPrefix: task.idPrefix });
    let rowsRead = 0;
    for (let records: SourceRecord[] | undefined = first.value; records; ) {
      rowsRead += records.length;
      const parts: PreparedBatch[] = [];
      for (let i = 0; i < records.length; i += task.writeSize) parts.push(preparer.batch(records.slice(i, i + task.writeSize), src.columns));
      await inbox.credit();
      post({ type: 'batch', rowsRead, parts });
      const next = await batches.next();
      records = next.done ? undefined : next.value;
    }
    post({
      type: 'end',
      end: {
        format: src.format,
        encoding: src.encoding,
        geometryFrom: src.geometryFrom,
        geometryNote: src.geometryNote,
        declaredCrs: src.crs?.name,
        columns: preparer.columns,
        warnings: preparer.warnings(),
        threadId,
      },
    });
  } catch (err) {
    post({ type: 'error', error: asRowError(err) });
  } finally {
    await close().catch(() => undefined);
  }
}
