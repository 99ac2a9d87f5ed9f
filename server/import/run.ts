/**
 * One import, start to end, a batch of rows at a time: read (stream.ts), settle the CRS, prepare,
 * check (and where safe repair) geometries in PostGIS, flag duplicates, write — all inside ONE
 * transaction, so a failure, or the server being killed, leaves the layer exactly as it was. A dry
 * run takes the very same path and rolls back, so its counts are what a real run would do. Only
 * counts, the first rows for the preview and the first problems are kept, never the whole file.
 *
 * The row work — reading, decoding, mapping and preparing the rows — runs in the import's worker
 * thread (rows.ts, row-reader.ts), batches streamed here as they are ready: this thread only runs the
 * statements, so on PostgreSQL it stays free to answer everyone else while the import goes on.
 */
import type { Feature, Geometry } from 'geojson';
import { COUNTY_FIELD, layerWithRole, type LayerDef } from '../../core/catalogue/index.js';
import type { Connectivity } from '../../core/network/graph.js';
import type { Bbox, Crs, CrsName } from '../../core/geo/crs.js';
import type { Duplicate, ImportProgress, ImportReport, NetworkImportReport, Rejection, RowProblem } from '../../core/import-report.js';
import { note, type Note } from '../../core/note.js';
import { recordAudit } from '../store/audit.js';
import {
  checkGeometries,
  ANY_COUNTY,
  countyExtents,
  deleteCounties,
  deleteLayer,
  NO_COUNTY,
  existingIds,
  countyPlaces,
  breathe,
  IMPORT_BATCH_ROWS,
  importSession,
  insertImported,
  namesakesAmong,
  upsertFeatures,
  type Db,
  type ImportMode,
  type Props,
} from '../store/index.js';
import { ApiError } from '../errors.js';
import { detectConnectivity, isNetworkLayer, settleNetwork } from './network.js';
import type { ImportFeature, PreparedBatch } from './prepare.js';
import { ReadError } from '../formats/source.js';
import { RowReader } from './row-reader.js';
import type { RowError } from './rows.js';
import type { Upload } from './stream.js';

export const PREVIEW_SIZE = 20;
/** Rows read together; the first batch is also the CRS detection's sample, the same on every store. */
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
  /** County code whose polygon the data should fall in (all counties' when absent); mode=replace replaces only its features. */
  county?: string;
  /** Road network only: how its lines join; absent = detected (core/network/graph.ts Connectivity). */
  connectivity?: Connectivity;
  /** Who imports, for the audit log. */
  actor: string;
  role?: string;
  progress?: (change: Partial<Omit<ImportProgress, 'importId'>>) => void;
  /** Aborted past the import's time limit: a wait for the rows ends at once, its reason thrown. */
  signal?: AbortSignal;
}

/** No row can be written; `note` says why in the reader's language. */
export class NothingToImport extends Error {
  constructor(
    message: string,
    readonly note?: Note,
  ) {
    super(message);
  }
}

/** crs=auto could not settle the CRS: the caller must choose one of `candidates`. */
export class CrsNeeded extends Error {
  constructor(
    message: string,
    readonly candidates: CrsName[],
    readonly note?: Note,
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

/** An error of the row work, thrown here as the kind the routes answer for. */
function rowError(e: RowError): Error {
  if (e.kind === 'read') return new ReadError(e.message, e.note);
  if (e.kind === 'crs_needed') return new CrsNeeded(e.message, e.candidates ?? [], e.note);
  return new Error(`The import's reading thread failed: ${e.message}`);
}

/** A list kept to LIST_LIMIT entries with the full count beside it. */
class Capped<T extends { row: number }> {
  readonly items: T[] = [];
  count = 0;
  add(...xs: T[]): void {
    for (const x of xs) {
      this.count++;
      if (this.items.length < LIST_LIMIT) this.items.push(x);
    }
  }
  /**
   * Adds entries found after all the others (sorted by row, as `items` are): the list keeps the
   * first LIST_LIMIT of both by row, earlier entries first on the same row. The first LIST_LIMIT
   * of a union need only the first LIST_LIMIT of each side.
   */
  merge(xs: T[]): void {
    this.count += xs.length;
    const all = [...this.items, ...xs.slice(0, LIST_LIMIT)];
    this.items.splice(0, this.items.length, ...all.sort((a, z) => a.row - z.row).slice(0, LIST_LIMIT));
  }
}

export async function runImport(db: Db, layer: LayerDef, upload: Upload, opts: ImportOptions): Promise<ImportReport> {
  const progress = opts.progress ?? (() => undefined);
  progress({ phase: 'reading' });
  const writeSize = IMPORT_BATCH_ROWS;
  const rows = new RowReader(
    {
      upload,
      layer,
      batchSize: BATCH_SIZE,
      writeSize,
      crs: opts.crs?.name,
      filename: opts.filename,
      idPrefix: `${layer.id}-import-${Date.now().toString(36)}-`,
    },
    rowError,
    opts.signal,
  );
  try {
    await rows.opened();
    const extents = await countyExtents(db);
    if (opts.county && !extents[opts.county]) {
      throw new ApiError(400, 'bad_parameter', `No county "${opts.county}" in admin_units; known: ${Object.keys(extents).join(', ')}.`, 'county');
    }
    const area = opts.county ? extents[opts.county] : union(Object.values(extents));
    // The worker reads the first batch and settles the CRS on it (the request's, the file's, or detected in `area`).
    const { crs, crsFrom, crsCandidates, crsReason } = await rows.settle(area);
    /** Rows of the ids the import has accepted (prepared), for the namesakes' row numbers. */
    const rowOf = new Map<string, number>();
    const rejected = new Capped<Rejection>();
    const repaired = new Capped<RowProblem>();
    const duplicates = new Capped<Duplicate>();
    const preview: Feature<Geometry, Props>[] = [];
    const keysSeen = new Map<string, number>();
    const counts = { inserted: 0, updated: 0, deleted: 0 };
    // mode=replace deletes per county, each the first time the file (or `county`) names it.
    const hasCounty = layer.fields.some((f) => f.name === COUNTY_FIELD);
    const scoped = opts.mode === 'replace' && hasCounty;
    const deletedByCounty: Record<string, number> = {};
    /** The counties whose stored features this replace has deleted so far. */
    const replaced = new Set<string>(scoped && opts.county ? [opts.county] : []);
    const boundary = layer.id === layerWithRole('boundary').id;
    let outside = 0;
    let features = 0;
    const writtenCounties = new Set<string>();
    let network: NetworkImportReport | undefined;
    let rowsRead = 0;
    let written = 0;
    const writtenIds: string[] = [];

    /**
     * Same-name points within DUPLICATE_METRES, flagged on the later row of a pair (a stored
     * feature is always the earlier). Run once after the last batch, so a pair in different
     * batches is found by one set-based query; the duplicates listed stay the first by row.
     */
    const namesakes = async (tx: Db): Promise<void> => {
      const found: Duplicate[] = [];
      const flagged = new Set<string>();
      for (const m of await namesakesAmong(tx, layer.id, writtenIds, DUPLICATE_METRES)) {
        const row = rowOf.get(m.fid)!;
        const otherRow = rowOf.get(m.other);
        if (flagged.has(m.fid) || (otherRow !== undefined && otherRow >= row)) continue;
        flagged.add(m.fid);
        const params = { name: m.name, distanceM: Math.round(m.distance) };
        found.push(
          otherRow !== undefined
            ? { row, reason: note('import_same_name_row', { ...params, other: otherRow }) }
            : { row, reason: note('import_same_name_stored', { ...params, other: m.other }), existing: m.other },
        );
      }
      duplicates.merge(found.sort((a, z) => a.row - z.row));
    };

    const writeBatch = async (tx: Db, b: PreparedBatch): Promise<void> => {
      const problems: Rejection[] = [...b.rejected];
      const dups: Duplicate[] = [...b.duplicates];
      const batchFeatures = b.features;
      const drop = new Set<number>();
      // A point that prepare() accepted (finite numbers) is valid; lines and polygons are checked.
      const checked = layer.geometry === 'Point' ? [] : await checkGeometries(tx, batchFeatures.map((f) => f.geometry), layer.geometry === 'Polygon');
      for (const c of checked) {
        const f = batchFeatures[c.index];
        if (c.repaired) {
          f.geometry = c.repaired;
          // detail: PostGIS's ST_IsValidReason; repaired with ST_MakeValid.
          repaired.add({ row: f.row, reason: note('import_repaired', { detail: c.reason, areaChangePct: Math.round(c.areaChange! * 10000) / 100 }) });
          continue;
        }
        // Not repaired automatically when ST_MakeValid would change the area (or invent one) or the kind: fix it in the source.
        const reason =
          c.areaChange === undefined
            ? note('import_invalid_geometry', { detail: c.reason })
            : Number.isFinite(c.areaChange)
              ? note('import_invalid_geometry_area', { detail: c.reason, areaChangePct: Math.round(c.areaChange * 1000) / 10 })
              : note('import_invalid_geometry_no_area', { detail: c.reason });
        problems.push({ row: f.row, field: 'geometry', reason });
        drop.add(c.index);
      }
      if (opts.mode === 'append') {
        const stored = new Set(await existingIds(tx, layer.id, batchFeatures.map((f) => f.id)));
        batchFeatures.forEach((f, i) => {
          if (!stored.has(f.id) || drop.has(i)) return;
          problems.push({ row: f.row, field: 'id', reason: note('import_id_exists', { id: f.id }) });
          dups.push({ row: f.row, reason: note('import_duplicate_stored_id', { id: f.id }), existing: f.id });
          drop.add(i);
        });
      }
      if (opts.mode === 'upsert' && opts.key !== 'id') {
        batchFeatures.forEach((f, i) => {
          if (drop.has(i)) return;
          const v = f.properties[opts.key];
          if (v === undefined) {
            problems.push({ row: f.row, field: opts.key, reason: note('import_key_empty', { key: opts.key }) });
            drop.add(i);
            return;
          }
          const earlier = keysSeen.get(String(v));
          if (earlier !== undefined) {
            problems.push({ row: f.row, field: opts.key, reason: note('import_key_repeats', { key: opts.key, value: String(v), earlier }) });
            dups.push({ row: f.row, reason: note('import_duplicate_key', { key: opts.key, value: String(v), earlier }) });
            drop.add(i);
          } else keysSeen.set(String(v), f.row);
        });
      }
      let keep: ImportFeature[] = batchFeatures.filter((_, i) => !drop.has(i));
      // One statement gives both the county_code fill (filled before writing rather than by an
      // UPDATE after it, which would write every row twice) and the outside-the-area check.
      const places = hasCounty || !boundary ? await countyPlaces(tx, layer.id, keep, { county: opts.county, stored: scoped }) : [];
      const inside = new Map<ImportFeature, boolean>();
      keep.forEach((f, i) => {
        if (!places[i]) return;
        inside.set(f, places[i].inside);
        if (hasCounty && f.properties[COUNTY_FIELD] === undefined && places[i].code !== null) f.properties[COUNTY_FIELD] = places[i].code;
      });
      if (scoped) {
        const fresh = [...new Set(keep.map((f) => (f.properties[COUNTY_FIELD] === undefined ? NO_COUNTY : String(f.properties[COUNTY_FIELD]))))].filter(
          (c) => deletedByCounty[c] === undefined,
        );
        Object.assign(deletedByCounty, await deleteCounties(tx, layer.id, opts.county ? [] : fresh));
        for (const c of fresh) deletedByCounty[c] ??= 0;
        if (!opts.county) for (const c of fresh) replaced.add(c);
        // The replace keeps other counties' features: an id one of them holds cannot be written.
        const held = new Set(keep.filter((_, i) => places[i].stored !== null && !replaced.has(places[i].stored!)));
        for (const f of held) problems.push({ row: f.row, field: 'id', reason: note('import_id_other_county', { id: f.id }) });
        keep = keep.filter((f) => !held.has(f));
      }
      if (!boundary) {
        features += keep.length;
        outside += keep.filter((f) => !inside.get(f)).length;
      }
      if (opts.mode === 'upsert') {
        const r = await upsertFeatures(tx, layer.id, keep, opts.key);
        counts.inserted += r.inserted;
        counts.updated += r.updated;
        const ambiguous = new Set(r.ambiguous.map((a) => a.index));
        for (const a of r.ambiguous) {
          const f = keep[a.index];
          const params = { key: opts.key, value: String(f.properties[opts.key]), count: a.fids.length, ids: a.fids.join(', ') };
          problems.push({ row: f.row, field: opts.key, reason: note('import_key_ambiguous', params) });
        }
        keep = keep.filter((_, i) => !ambiguous.has(i));
      } else {
        await breathe();
        counts.inserted += await insertImported(tx, layer.id, keep);
      }
      // A road or boundary in several pieces repeats its name next to itself: only points are
      // checked for namesakes, once the whole file is written (namesakes below).
      if (layer.geometry === 'Point') for (const f of keep) writtenIds.push(f.id);
      written += keep.length;
      for (const f of keep) writtenCounties.add(f.properties[COUNTY_FIELD] === undefined ? NO_COUNTY : String(f.properties[COUNTY_FIELD]));
      for (const f of keep.slice(0, PREVIEW_SIZE - preview.length)) preview.push({ type: 'Feature', id: f.id, geometry: f.geometry, properties: f.properties });
      rejected.add(...problems.sort((a, z) => a.row - z.row));
      duplicates.add(...dups.sort((a, z) => a.row - z.row));
      progress({ phase: 'writing', rowsWritten: written });
    };

    progress({ phase: 'checking' });
    try {
      await db.transaction(async (tx) => {
        await importSession(tx);
        if (opts.mode === 'replace' && !hasCounty) counts.deleted = await deleteLayer(tx, layer.id);
        if (scoped && opts.county) Object.assign(deletedByCounty, await deleteCounties(tx, layer.id, [opts.county]));
        // The worker reads and prepares the next batches while the database writes this one.
        for (let batch = await rows.next(); batch; batch = await rows.next()) {
          rowsRead = batch.rowsRead;
          progress({ rowsRead });
          for (const part of batch.parts) {
            for (const f of part.features) rowOf.set(f.id, f.row);
            await writeBatch(tx, part);
            await breathe();
          }
        }
        const declared = rows.end!.declaredCrs;
        await namesakes(tx);
        if (crsFrom === 'detected' && declared && declared !== crs) {
          throw new ReadError(`The GeoJSON declares crs ${declared} after its features, but they were read as ${crs}: import again with crs=${declared}, or put "crs" before "features".`);
        }
        if (!opts.dryRun && written === 0) {
          const r = rejected.items[0];
          throw new NothingToImport(
            `No row of the file can be imported (${rejected.count} problems, first: row ${r?.row} ${r?.field}: ${r?.reason.code}). Nothing was written.`,
            // The first problem's Note is flattened into the params (`reason` is its code).
            note('nothing_to_import_detail', { ...r?.reason.params, reason: r?.reason.code ?? 'import_no_geometry', count: rejected.count, row: r?.row ?? 0, field: r?.field ?? '' }),
          );
        }
        if (scoped) counts.deleted = Object.values(deletedByCounty).reduce((a, b) => a + b, 0);
        if (isNetworkLayer(layer) && written > 0) {
          const columns = [...Object.keys(rows.end!.columns.fields), ...rows.end!.columns.unmapped];
          // Detection decides only when the file replaces the counties' roads: appending a few roads keeps the stored rule.
          const chosen = opts.connectivity ?? (opts.mode === 'replace' ? detectConnectivity(columns, rows.end!.format) : undefined);
          network = await settleNetwork(tx, layer, [...writtenCounties], chosen, opts.connectivity ? 'request' : 'detected', ANY_COUNTY);
        }
        if (opts.dryRun) throw new DryRun();
        await recordAudit(tx, {
          actor: opts.actor,
          role: opts.role,
          action: 'import',
          layer: layer.id,
          detail: { file: opts.filename ?? null, format: rows.end!.format, mode: opts.mode, ...counts, rejected: rejected.count, crs },
        });
      });
    } catch (err) {
      if (!(err instanceof DryRun)) throw err;
    }
    // The real run refuses a file with nothing importable before it deletes anything (above): the
    // dry run must not report deletions that would never happen.
    const refused = opts.dryRun && written === 0;
    if (refused) {
      counts.deleted = 0;
      for (const c of Object.keys(deletedByCounty)) deletedByCounty[c] = 0;
    }
    const src = rows.end!;
    const warnings: ImportReport['warnings'] = src.warnings;
    if (outside > 0) {
      warnings.push(opts.county ? note('outside_county', { count: outside, features, county: opts.county }) : note('outside_counties', { count: outside, features }));
    }
    return {
      layer: layer.id,
      file: opts.filename ?? null,
      format: src.format,
      encoding: src.encoding,
      crs,
      crsFrom,
      crsCandidates,
      crsReason,
      geometryFrom: src.geometryFrom,
      ...(src.geometryNote ? { geometryNote: src.geometryNote } : {}),
      // nothing_to_import: a real run refuses the file and changes nothing (no row is deleted, even with mode=replace).
      warnings: refused ? [...warnings, note('nothing_to_import')] : warnings,
      columns: src.columns.fields,
      unmappedColumns: src.columns.unmapped,
      mode: opts.mode,
      key: opts.mode === 'upsert' ? opts.key : undefined,
      dryRun: opts.dryRun,
      rowsRead,
      importable: written,
      ...counts,
      ...(scoped ? { deletedByCounty } : {}),
      ...(network ? { network } : {}),
      rejected: rejected.items,
      rejectedCount: rejected.count,
      repaired: repaired.items,
      repairedCount: repaired.count,
      duplicates: duplicates.items,
      duplicateCount: duplicates.count,
      preview: { type: 'FeatureCollection', features: preview },
    };
  } finally {
    await rows.close();
  }
}
