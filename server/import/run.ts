/**
 * One import, start to end: decode, read, prepare, check geometries in PostGIS, write in ONE
 * transaction. A dry run takes the very same path and rolls the transaction back, so its counts
 * are what a real run would do.
 */
import type { LayerDef } from '../../core/catalogue/index.js';
import type { Bbox, Crs } from '../../core/geo/crs.js';
import { countyExtents, existingIds, fillCountyCodes, invalidGeometries, writeImport, type Db, type ImportCounts, type ImportMode } from '../store/index.js';
import { ApiError } from '../errors.js';
import { decode } from './decode.js';
import { prepare, type Rejection } from './prepare.js';
import { formatOf, readSource } from './read.js';

export const PREVIEW_SIZE = 20;

export interface ImportOptions {
  filename?: string;
  contentType?: string;
  crs: Crs;
  mode: ImportMode;
  dryRun: boolean;
  key: string;
  /** County code whose extent the data should fall in; all counties when absent. */
  county?: string;
}

export class NothingToImport extends Error {}

class DryRun extends Error {
  constructor(readonly counts: ImportCounts) {
    super('dry run');
  }
}

function union(boxes: Bbox[]): Bbox | undefined {
  if (!boxes.length) return undefined;
  return boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
}

export async function runImport(db: Db, layer: LayerDef, bytes: Uint8Array, opts: ImportOptions) {
  const { text, encoding } = decode(bytes);
  const format = formatOf(opts.filename, opts.contentType, text);
  const src = readSource(text, format);
  const extents = await countyExtents(db);
  if (opts.county && !extents[opts.county]) {
    throw new ApiError(400, 'bad_parameter', `No county "${opts.county}" in admin_units; known: ${Object.keys(extents).join(', ')}.`, 'county');
  }
  const area = opts.county ? extents[opts.county] : union(Object.values(extents));
  const prep = prepare(layer, src, {
    crs: opts.crs,
    area,
    source: `import: ${opts.filename ?? format}`,
    idPrefix: `${layer.id}-import-${Date.now().toString(36)}-`,
  });
  const rejected: Rejection[] = [...prep.rejected];
  const drop = new Set<string>();
  for (const bad of await invalidGeometries(db, prep.features.map((f) => f.geometry))) {
    const f = prep.features[bad.index];
    rejected.push({ row: f.row, field: 'geometry', reason: `invalid geometry: ${bad.reason}` });
    drop.add(f.id);
  }
  if (opts.mode === 'append') {
    for (const id of await existingIds(db, layer.id, prep.features.map((f) => f.id))) {
      const f = prep.features.find((x) => x.id === id)!;
      rejected.push({ row: f.row, field: 'id', reason: `id "${id}" already exists in layer "${layer.id}"; use mode=upsert to update it` });
      drop.add(id);
    }
  }
  if (opts.mode === 'upsert' && opts.key !== 'id') {
    for (const f of prep.features) {
      if (f.properties[opts.key] === undefined) {
        rejected.push({ row: f.row, field: opts.key, reason: `upsert key "${opts.key}" is empty` });
        drop.add(f.id);
      }
    }
  }
  const features = prep.features.filter((f) => !drop.has(f.id));
  rejected.sort((a, b) => a.row - b.row);
  if (!opts.dryRun && features.length === 0) {
    throw new NothingToImport(`No row of the file can be imported (${rejected.length} problems, first: row ${rejected[0]?.row} ${rejected[0]?.field}: ${rejected[0]?.reason}). Nothing was written.`);
  }
  const write = async (tx: Db): Promise<ImportCounts> => {
    const counts = await writeImport(tx, layer.id, opts.mode, features, opts.key);
    if (layer.fields.some((f) => f.name === 'county_code')) await fillCountyCodes(tx, layer.id, features.map((f) => f.id));
    return counts;
  };
  let counts: ImportCounts;
  try {
    counts = await db.transaction(async (tx) => {
      const c = await write(tx);
      if (opts.dryRun) throw new DryRun(c);
      return c;
    });
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
    counts = err.counts;
  }
  return {
    layer: layer.id,
    file: opts.filename ?? null,
    format,
    encoding,
    crs: opts.crs.name,
    geometryFrom: src.geometryFrom,
    warnings: prep.warnings,
    columns: prep.columns.fields,
    unmappedColumns: prep.columns.unmapped,
    mode: opts.mode,
    key: opts.mode === 'upsert' ? opts.key : undefined,
    dryRun: opts.dryRun,
    rowsRead: src.records.length,
    importable: features.length,
    ...counts,
    rejected,
    preview: {
      type: 'FeatureCollection' as const,
      features: features.slice(0, PREVIEW_SIZE).map(({ row: _row, ...f }) => f),
    },
  };
}

export type ImportReport = Awaited<ReturnType<typeof runImport>>;
