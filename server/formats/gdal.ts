/**
 * GDAL (npm gdal3.js: GDAL 3.8 compiled to WebAssembly, LGPL-2.1) for the formats we do not read
 * or write ourselves: Excel .xlsx, OpenDocument .ods, MapInfo .tab/.mif, Esri File Geodatabase,
 * DXF, OpenStreetMap PBF and FlatGeobuf in; FlatGeobuf, Shapefile and the GeoPackage R-tree out.
 *
 * GDAL runs in ONE worker thread (gdal-worker.mjs), started on first use (≈1.3–2.5 s to
 * initialise the 24 MB module, once per process) and then kept; calls are queued and answered in
 * order. The event loop stays free while GDAL reads: other requests are served meanwhile.
 */
import { Worker } from 'node:worker_threads';

export interface GdalLayer {
  name: string;
  /** OGR geometry type name: Point, MultiLineString, None, … */
  geometryType: string;
  featureCount: number;
  fields: string[];
  /** The layer's CRS as WKT2, when it has one. */
  wkt: string | null;
}

export class GdalError extends Error {
  constructor(
    message: string,
    readonly warnings: string[],
  ) {
    super(message);
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;
/** Calls run one after another: GDAL's heap and its /output folder are shared. */
let queue: Promise<unknown> = Promise.resolve();

function start(): Worker {
  const w = new Worker(new URL('./gdal-worker.mjs', import.meta.url));
  w.on('message', ({ id, result, error, warnings }: { id: number; result?: unknown; error?: string; warnings: string[] }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) w.unref();
    if (error !== undefined) p?.reject(new GdalError(error, warnings));
    else p?.resolve(result);
  });
  w.on('error', (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = undefined;
  });
  w.unref();
  return w;
}

function call<T>(op: string, args: object): Promise<T> {
  const run = (): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      worker ??= start();
      worker.ref();
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, args });
    });
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** The layers of a file or folder on disk (`file` may start with a GDAL virtual path such as /vsizip/). */
export const gdalInfo = (file: string, openOptions: string[] = []): Promise<GdalLayer[]> => call('info', { file, openOptions });

/** ogr2ogr `options` from `file`; the files written, by name (a Shapefile is several). */
export const gdalTranslate = (file: string, options: string[], openOptions: string[] = []): Promise<Record<string, Uint8Array>> =>
  call('translate', { file, options, openOptions });

/** A layer converted to GeoJSON features that wait in the worker to be taken a batch at a time. */
export interface GdalFeatures {
  handle: number;
  count: number;
  /** The GeoJSON `crs` member GDAL wrote, if any. */
  crs: unknown;
}

/** ogr2ogr `options` (to GeoJSON) from `file`, the features kept in the worker until gdalRelease. */
export const gdalOpenFeatures = (file: string, options: string[], openOptions: string[] = []): Promise<GdalFeatures> => call('openFeatures', { file, options, openOptions });

/** `size` GeoJSON features of an opened layer from `start` (fewer at the end). */
export const gdalFeatureBatch = (handle: number, start: number, size: number): Promise<unknown[]> => call('featureBatch', { handle, start, size });

export const gdalRelease = (handle: number): Promise<null> => call('release', { handle });

/** Runs one SQL statement in GDAL's SQLite dialect on a file opened for update. */
export const gdalSql = (file: string, sql: string): Promise<null> => call('sql', { file, sql });

/** Starts GDAL now rather than on the first file (a server may warm it up after it starts listening). */
export const gdalWarm = (): Promise<GdalLayer[]> => gdalInfo('/vsimem/none').catch(() => []);
