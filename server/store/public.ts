/** What the public packs read besides ordinary feature queries: features near a county. */
import type { Feature, Geometry } from 'geojson';
import { boundaryRole } from '../../core/catalogue/index.js';
import type { Db } from './db.js';
import type { Props } from './features.js';

/** A feature with the time it last changed (ISO). */
export type DatedFeature = Feature<Geometry, Props> & { updatedAt: string };

/**
 * Features of a layer within `marginM` metres of a county's polygon (the boundary layer's county),
 * whole (not clipped), ordered by id: the county's own and those just across its border.
 * Coordinates to 7 decimals, the precision of the road graph's node identity.
 */
export async function featuresNearCounty(db: Db, layer: string, county: string, marginM: number): Promise<DatedFeature[]> {
  const b = boundaryRole();
  const rows = await db.query<{ fid: string; properties: Props; geometry: string; updated_at: Date | string }>(
    `WITH area AS MATERIALIZED (
       SELECT ST_Buffer(geom::geography, $3)::geometry AS g FROM features
        WHERE layer = $4 AND properties ->> $5 = $6 AND properties ->> $7 = $2
     )
     SELECT f.fid, f.properties, ST_AsGeoJSON(f.geom, 7) AS geometry, f.updated_at
       FROM features f, area
      WHERE f.layer = $1 AND f.geom && area.g AND ST_Intersects(f.geom, area.g)
      ORDER BY f.fid`,
    [layer, county, marginM, b.layer, b.level, b.county, b.code],
  );
  return rows.map((r) => ({
    type: 'Feature',
    id: r.fid,
    properties: r.properties,
    geometry: JSON.parse(r.geometry) as Geometry,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}
