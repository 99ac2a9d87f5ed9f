/**
 * One import, start to end, a batch of rows at a time: read (stream.ts), settle the CRS, prepare,
 * check (and where safe repair) geometries in PostGIS, flag duplicates, write — all inside ONE
 * transaction, so a failure, or the server being killed, leaves the layer exactly as it was. A dry
 * run takes the very same path and rolls back, so its counts are what a real run would do. Only
 * counts, the first rows for the preview and the first problems are kept, never the whole file.
 */
import type { Feature, Geometry } from 'geojson';
import { COUNTY_FIELD, type LayerDef } from '../../core/catalogue/index.js';
import type { Bbox, Crs, CrsName } from '../../core/geo/crs.js';
import type { Duplicate, ImportProgress, ImportReport, Rejection } from '../../core/import-report.js';
import { describe, detectCrs } from '../../core/geo/detect-crs.js';
import { recordAudit } from '../store/audit.js';
import {
  checkGeometries,
  countyExtents,
  deleteLayer,
  existingIds,
  countyCodesOf,
  insertFeatures,
  namesakesNearby,
  upsertFeatures,
  type Db,
  type ImportMode,
  type Props,
} from '../store/index.js';
import { ApiError } from '../errors.js';
import { Preparer, type ImportFeature } from './prepare.js';
import { ReadError, type SourceRecord } from '../formats/source.js';
import { openSource, type Upload } from './stream.js';

export const PREVIEW_SIZE = 20;
/** Rows read, checked and written together. */
export const BATCH_SIZE = 2000;
/** At most this many rejected, repaired and duplicate rows are listed; the counts are complete. */
export const LIST_LIMIT = 1000;
/** Point features with the same name closer than this are flagged as possible duplicates. */
export const DUPLICATE_METRES = 50;

export interface ImportOptions {
  filename?: string;
  contentType?: string;
  /** The CRS the caller states; absent = auto (the file's own, else detected from the numbers). */
  crs?: Crs;
  mode: ImportMode;
  dryRun: boolean;
  key: string;
  /** County code whose extent the data should fall in; all counties when absent. */
  county?: string;
  /** Who imports, for the audit log. */
  actor: string;
  role?: string;
  progress?: (change: Partial<Omit<ImportProgress, 'importId'>>) => void;
}

export class NothingToImport extends Error {}

/** crs=auto could not settle the CRS: the caller must choose one of `candidates`. */
export class CrsNeeded extends Error {
  constructor(
    message: string,
    readonly candidates: CrsName[],
  ) {
    super(message);
  }
}


class DryRun extends Error {
  constructor() {
    super('dry run');
  }
}

function union(boxes: Bbox[]): Bbox | undefined {
  if (!boxes.length) return undefined;
  return boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
}

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

/** A list kept to LIST_LIMIT entries with the full count beside it. */
class Capped<T> {
  readonly items: T[] = [];
  count = 0;
  add(...xs: T[]): void {
    for (const x of xs) {
      this.count++;
      if (this.items.length < LIST_LIMIT) this.items.push(x);
    }
  }
}

export async function runImport(db: Db, layer: LayerDef, upload: Upload, opts: ImportOptions): Promise<ImportReport> {
  const progress = opts.progress ?? (() => undefined);
  progress({ phase: 'reading' });
  const src = await openSource({ ...upload, geometry: layer.geometry }, BATCH_SIZE);
  const batches = src.batches[Symbol.asyncIterator]();
  try {
    const extents = await countyExtents(db);
    if (opts.county && !extents[opts.county]) {
      throw new ApiError(400, 'bad_parameter', `No county "${opts.county}" in admin_units; known: ${Object.keys(extents).join(', ')}.`, 'county');
    }
    const area = opts.county ? extents[opts.county] : union(Object.values(extents));
    const first = await batches.next();
    if (first.done) throw new ReadError('The file has no rows.');

    let crs: Crs;
    let crsFrom: ImportReport['crsFrom'];
    let crsCandidates: CrsName[];
    let crsReason: string | undefined;
    if (opts.crs) {
      [crs, crsFrom, crsCandidates] = [opts.crs, 'request', [opts.crs.name]];
    } else if (src.crs) {
      [crs, crsFrom, crsCandidates, crsReason] = [src.crs, 'file', [src.crs.name], `declared by the file (${src.crsFrom})`];
    } else {
      const guess = detectCrs(samplePoints(first.value), area);
      if (!guess.crs) {
        throw new CrsNeeded(
          `Cannot tell the coordinate system of the file: ${guess.reason}. Import again with crs=${guess.candidates[0] ?? 'EPSG:45xx'}` +
            (guess.candidates.length > 1 ? ` (or one of ${guess.candidates.map(describe).join(', ')})` : '') +
            '.',
          guess.candidates,
        );
      }
      [crs, crsFrom, crsCandidates, crsReason] = [guess.crs, 'detected', guess.candidates, guess.reason];
    }

    const preparer = new Preparer(layer, {
      crs,
      area,
      source: `import: ${opts.filename ?? src.format}`,
      idPrefix: `${layer.id}-import-${Date.now().toString(36)}-`,
    });
    const rejected = new Capped<Rejection>();
    const repaired = new Capped<{ row: number; reason: string }>();
    const duplicates = new Capped<Duplicate>();
    const preview: Feature<Geometry, Props>[] = [];
    const keysSeen = new Map<string, number>();
    const counts = { inserted: 0, updated: 0, deleted: 0 };
    let rowsRead = 0;
    let written = 0;

    const writeBatch = async (tx: Db, records: SourceRecord[]): Promise<void> => {
      rowsRead += records.length;
      progress({ rowsRead });
      const b = preparer.batch(records, src.columns);
      const problems: Rejection[] = [...b.rejected];
      const dups: Duplicate[] = [...b.duplicates];
      const features = b.features;
      const drop = new Set<number>();
      // A point that prepare() accepted (finite numbers) is valid; lines and polygons are checked.
      const checked = layer.geometry === 'Point' ? [] : await checkGeometries(tx, features.map((f) => f.geometry), layer.geometry === 'Polygon');
      for (const c of checked) {
        const f = features[c.index];
        if (c.repaired) {
          f.geometry = c.repaired;
          repaired.add({ row: f.row, reason: `${c.reason}; repaired with ST_MakeValid (area changed ${(c.areaChange! * 100).toFixed(2)} %)` });
          continue;
        }
        const why =
          c.areaChange === undefined
            ? ''
            : `; not repaired automatically, since ST_MakeValid would ${Number.isFinite(c.areaChange) ? `change its area by ${(c.areaChange * 100).toFixed(1)} %` : 'have to invent its area'} or its kind: fix it in the source`;
        problems.push({ row: f.row, field: 'geometry', reason: `invalid geometry: ${c.reason}${why}` });
        drop.add(c.index);
      }
      if (opts.mode === 'append') {
        const stored = new Set(await existingIds(tx, layer.id, features.map((f) => f.id)));
        features.forEach((f, i) => {
          if (!stored.has(f.id) || drop.has(i)) return;
          problems.push({ row: f.row, field: 'id', reason: `id "${f.id}" already exists in layer "${layer.id}"; use mode=upsert to update it` });
          dups.push({ row: f.row, reason: `id "${f.id}" is already in the layer; the row is not imported`, existing: f.id });
          drop.add(i);
        });
      }
      if (opts.mode === 'upsert' && opts.key !== 'id') {
        features.forEach((f, i) => {
          if (drop.has(i)) return;
          const v = f.properties[opts.key];
          if (v === undefined) {
            problems.push({ row: f.row, field: opts.key, reason: `upsert key "${opts.key}" is empty` });
            drop.add(i);
            return;
          }
          const earlier = keysSeen.get(String(v));
          if (earlier !== undefined) {
            problems.push({ row: f.row, field: opts.key, reason: `upsert key ${opts.key} = "${String(v)}" repeats row ${earlier}` });
            dups.push({ row: f.row, reason: `${opts.key} "${String(v)}" repeats row ${earlier}; the later row is not imported` });
            drop.add(i);
          } else keysSeen.set(String(v), f.row);
        });
      }
      let keep: ImportFeature[] = features.filter((_, i) => !drop.has(i));
      if (layer.fields.some((f) => f.name === COUNTY_FIELD)) {
        // Filled before writing rather than by an UPDATE after it, which would write every row twice.
        const missing = keep.filter((f) => f.properties[COUNTY_FIELD] === undefined);
        const codes = await countyCodesOf(tx, missing.map((f) => f.geometry));
        missing.forEach((f, i) => {
          if (codes[i] !== null) f.properties[COUNTY_FIELD] = codes[i];
        });
      }
      if (opts.mode === 'upsert') {
        const r = await upsertFeatures(tx, layer.id, keep, opts.key);
        counts.inserted += r.inserted;
        counts.updated += r.updated;
        const ambiguous = new Set(r.ambiguous.map((a) => a.index));
        for (const a of r.ambiguous) {
          const f = keep[a.index];
          problems.push({ row: f.row, field: opts.key, reason: `${opts.key} = "${String(f.properties[opts.key])}" matches ${a.fids.length} stored features (${a.fids.join(', ')}); upsert needs a key that is unique in the layer` });
        }
        keep = keep.filter((_, i) => !ambiguous.has(i));
      } else counts.inserted += await insertFeatures(tx, layer.id, keep);
      const ids = keep.map((f) => f.id);
      // A road or boundary in several pieces repeats its name next to itself: only points are checked.
      if (layer.geometry === 'Point') {
        const rowOf = new Map(keep.map((f) => [f.id, f]));
        const flagged = new Set<string>();
        for (const m of await namesakesNearby(tx, layer.id, ids, DUPLICATE_METRES)) {
          const f = rowOf.get(m.fid)!;
          const otherRow = preparer.rowOf(m.other);
          if (flagged.has(m.fid) || (otherRow !== undefined && otherRow >= f.row)) continue;
          flagged.add(m.fid);
          const near = `${Math.round(m.distance)} m away`;
          dups.push(
            otherRow !== undefined
              ? { row: f.row, reason: `same name "${String(f.properties.name)}" as row ${otherRow}, ${near}; both are imported` }
              : { row: f.row, reason: `same name "${String(f.properties.name)}" as stored feature "${m.other}", ${near}; both are kept`, existing: m.other },
          );
        }
      }
      written += keep.length;
      for (const f of keep.slice(0, PREVIEW_SIZE - preview.length)) preview.push({ type: 'Feature', id: f.id, geometry: f.geometry, properties: f.properties });
      rejected.add(...problems.sort((a, z) => a.row - z.row));
      duplicates.add(...dups.sort((a, z) => a.row - z.row));
      progress({ phase: 'writing', rowsWritten: written });
    };

    progress({ phase: 'checking' });
    try {
      await db.transaction(async (tx) => {
        if (opts.mode === 'replace') counts.deleted = await deleteLayer(tx, layer.id);
        for (let next: IteratorResult<SourceRecord[]> = first; !next.done; next = await batches.next()) await writeBatch(tx, next.value);
        if (crsFrom === 'detected' && src.crs && src.crs.name !== crs.name) {
          throw new ReadError(`The GeoJSON declares crs ${src.crs.name} after its features, but they were read as ${crs.name}: import again with crs=${src.crs.name}, or put "crs" before "features".`);
        }
        if (!opts.dryRun && written === 0) {
          const r = rejected.items[0];
          throw new NothingToImport(`No row of the file can be imported (${rejected.count} problems, first: row ${r?.row} ${r?.field}: ${r?.reason}). Nothing was written.`);
        }
        if (opts.dryRun) throw new DryRun();
        await recordAudit(tx, {
          actor: opts.actor,
          role: opts.role,
          action: 'import',
          layer: layer.id,
          detail: { file: opts.filename ?? null, format: src.format, mode: opts.mode, ...counts, rejected: rejected.count, crs: crs.name },
        });
      });
    } catch (err) {
      if (!(err instanceof DryRun)) throw err;
    }
    // The real run refuses a file with nothing importable before it deletes anything (above): the
    // dry run must not report deletions that would never happen.
    const refused = opts.dryRun && written === 0;
    if (refused) counts.deleted = 0;
    return {
      layer: layer.id,
      file: opts.filename ?? null,
      format: src.format,
      encoding: src.encoding,
      crs: crs.name,
      crsFrom,
      crsCandidates,
      crsReason,
      geometryFrom: src.geometryFrom,
      warnings: refused
        ? [...preparer.warnings(), { code: 'nothing_to_import', message: 'No row of the file can be imported: a real run refuses it and changes nothing (no row is deleted, even with mode=replace).' }]
        : preparer.warnings(),
      columns: preparer.columns.fields,
      unmappedColumns: preparer.columns.unmapped,
      mode: opts.mode,
      key: opts.mode === 'upsert' ? opts.key : undefined,
      dryRun: opts.dryRun,
      rowsRead,
      importable: written,
      ...counts,
      rejected: rejected.items,
      rejectedCount: rejected.count,
      repaired: repaired.items,
      repairedCount: repaired.count,
      duplicates: duplicates.items,
      duplicateCount: duplicates.count,
      preview: { type: 'FeatureCollection', features: preview },
    };
  } finally {
    await batches.return?.(undefined);
  }
}
