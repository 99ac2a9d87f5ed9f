import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS } from '../../core/areas.js';
import { buildGeodata, GEODATA_FILES, serialise, type GeodataOutput } from '../../geodata/build.js';
import { openTestStore, type TestStore } from '../setup/store.js';

describe('shipped boundaries (geodata/)', () => {
  let built: GeodataOutput;
  let store: TestStore;
  beforeAll(async () => {
    built = await buildGeodata();
    store = await openTestStore('pglite');
  });
  afterAll(async () => store?.dispose());

  it('are exactly what `npm run geodata` builds from the npm sources', () => {
    expect(serialise(built.counties)).toBe(fs.readFileSync(GEODATA_FILES.counties, 'utf8'));
    expect(serialise(built.towns)).toBe(fs.readFileSync(GEODATA_FILES.towns, 'utf8'));
  });

  it('hold the five counties, valid in PostGIS, with the towns tiling each county', async () => {
    expect(built.counties.features.map((f) => f.properties!.code)).toEqual(AREAS.map((a) => a.code));
    const rows = await store.db.query<{ code: string; county: number; towns: number; overlap: number; invalid: number }>(
      `WITH c AS (SELECT properties ->> 'code' AS code, geom FROM features WHERE layer = 'admin_units' AND properties ->> 'level' = 'county'),
            t AS (SELECT properties ->> 'county_code' AS code, geom FROM features WHERE layer = 'admin_units' AND properties ->> 'level' = 'town')
       SELECT c.code, ST_Area(c.geom::geography) AS county,
              (SELECT sum(ST_Area(t.geom::geography)) FROM t WHERE t.code = c.code) AS towns,
              (SELECT ST_Area(ST_Difference(c.geom, ST_Union(t.geom))::geography) FROM t WHERE t.code = c.code) AS overlap,
              (SELECT count(*) FROM t WHERE t.code = c.code AND NOT ST_IsValid(t.geom)) AS invalid
         FROM c ORDER BY c.code`,
    );
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(Math.abs(r.towns - r.county) / r.county, r.code).toBeLessThan(0.001);
      expect(r.overlap / r.county, r.code).toBeLessThan(0.001);
      expect(Number(r.invalid), r.code).toBe(0);
    }
    // Plausible sizes: 江北 is ~220 km², 巫山 ~2,960 km² (official figures); the generalised shapes come close.
    const km2 = Object.fromEntries(rows.map((r) => [r.code, r.county / 1e6]));
    expect(km2['500105']).toBeGreaterThan(180);
    expect(km2['500105']).toBeLessThan(260);
    expect(km2['500237']).toBeGreaterThan(2600);
    expect(km2['500237']).toBeLessThan(3300);
  });
});
