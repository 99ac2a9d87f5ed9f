/**
 * Single-feature edits with optimistic concurrency: the caller sends the version it last saw; the
 * write bumps it in one `UPDATE … WHERE version = $n`, so of two edits made from the same version
 * exactly one wins. Every write and its audit row share one transaction.
 */
import type { Geometry } from 'geojson';
import { COUNTY_FIELD } from '../../core/catalogue/index.js';
import { recordAudit } from './audit.js';
import type { Db } from './db.js';
import { getVersionedFeature, insertFeatures, type Props, type VersionedFeature } from './features.js';
import { fillCountyCodes } from './import.js';

/** Who is editing, as the audit log records them. */
export interface Editor {
  actor: string;
  role: string;
}

export interface EditOptions {
  /** The layer has a county field (COUNTY_FIELD), filled from the boundary layer where missing (as imports do). */
  fillCounty: boolean;
}

/** The stored version differs from the caller's; `current` is the feature as it is now (absent if deleted meanwhile). */
export class VersionConflict extends Error {
  constructor(readonly current: VersionedFeature | undefined) {
    super('version conflict');
  }
}

export class FeatureMissing extends Error {}

export class FeatureExists extends Error {}

const UNIQUE_VIOLATION = '23505';

/** Runs a write; a VersionConflict found inside it is re-raised with the feature as committed now. */
async function withConflictRead<T>(db: Db, layer: string, fid: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof VersionConflict && !err.current) throw new VersionConflict(await getVersionedFeature(db, layer, fid));
    throw err;
  }
}

export async function createFeature(
  db: Db,
  layer: string,
  f: { id: string; properties: Props; geometry: Geometry },
  who: Editor,
  opts: EditOptions,
): Promise<VersionedFeature> {
  try {
    return await db.transaction(async (tx) => {
      if (await getVersionedFeature(tx, layer, f.id)) throw new FeatureExists(f.id);
      await insertFeatures(tx, layer, [{ type: 'Feature', ...f }]);
      if (opts.fillCounty) await fillCountyCodes(tx, layer, [f.id]);
      const after = (await getVersionedFeature(tx, layer, f.id))!;
      await recordAudit(tx, { ...who, action: 'create', layer, fid: f.id, after });
      return after;
    });
  } catch (err) {
    // Two creates of one id at once: the loser hits the primary key.
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new FeatureExists(f.id);
    throw err;
  }
}

export interface FeaturePatch {
  /** Properties to set (merged over the stored ones). */
  set: Props;
  /** Properties to remove. */
  unset: string[];
  /** New geometry (a move), or undefined to keep it. */
  geometry?: Geometry;
}

export async function updateFeature(
  db: Db,
  layer: string,
  fid: string,
  version: number,
  patch: FeaturePatch,
  who: Editor,
  opts: EditOptions,
): Promise<VersionedFeature> {
  // A moved feature may have changed county: recompute its county unless the edit sets it.
  const recount = opts.fillCounty && patch.geometry !== undefined && !(COUNTY_FIELD in patch.set);
  const unset = recount ? [...patch.unset, COUNTY_FIELD] : patch.unset;
  return withConflictRead(db, layer, fid, () =>
    db.transaction(async (tx) => {
      const before = await getVersionedFeature(tx, layer, fid);
      if (!before) throw new FeatureMissing(fid);
      if (before.version !== version) throw new VersionConflict(before);
      const updated = await tx.query(
        `UPDATE features
            SET properties = (properties || $4::jsonb) - $5::text[],
                geom = COALESCE(ST_SetSRID(ST_GeomFromGeoJSON($6::text), 4326), geom),
                version = version + 1, updated_at = now()
          WHERE layer = $1 AND fid = $2 AND version = $3
          RETURNING fid`,
        [layer, fid, version, JSON.stringify(patch.set), unset, patch.geometry ? JSON.stringify(patch.geometry) : null],
      );
      // Someone else's edit of the same version committed between our read and this update.
      if (updated.length === 0) throw new VersionConflict(undefined);
      if (recount) await fillCountyCodes(tx, layer, [fid]);
      const after = (await getVersionedFeature(tx, layer, fid))!;
      await recordAudit(tx, { ...who, action: 'update', layer, fid, before, after });
      return after;
    }),
  );
}

export async function deleteFeature(db: Db, layer: string, fid: string, version: number, who: Editor): Promise<void> {
  await withConflictRead(db, layer, fid, () =>
    db.transaction(async (tx) => {
      const before = await getVersionedFeature(tx, layer, fid);
      if (!before) throw new FeatureMissing(fid);
      if (before.version !== version) throw new VersionConflict(before);
      const deleted = await tx.query('DELETE FROM features WHERE layer = $1 AND fid = $2 AND version = $3 RETURNING fid', [layer, fid, version]);
      if (deleted.length === 0) throw new VersionConflict(undefined);
      await recordAudit(tx, { ...who, action: 'delete', layer, fid, before });
    }),
  );
}
