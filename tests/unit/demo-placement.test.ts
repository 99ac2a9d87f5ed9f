/**
 * Demo realism: a facility named after a town stands in that town's polygon, and every fire
 * station, rescue team and depot stands by a demo road, so an engine's access leg is short and the
 * fire analysis flags none of them (FIRE_OFF_ROAD_WARN_M).
 */
import { booleanPointInPolygon, centroid } from '@turf/turf';
import type { Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../core/network/graph.js';
import { snap, snapIndexOf } from '../../core/network/snap.js';
import { FIRE_OFF_ROAD_WARN_M } from '../../core/standards.js';
import { generateDemo } from '../../seeds/demo/index.js';
import { loadGeodata, type Town } from '../../seeds/demo/places.js';

const geodata = loadGeodata();
const demo = generateDemo(geodata);
const LAYERS = ['fire_stations', 'rescue_teams', 'depots'] as const;
/** Every layer of named points: a name that starts with a town's name puts the point in that town. */
const NAMED = Object.keys(demo).filter((layer) => demo[layer].some((f) => f.geometry.type === 'Point' && typeof f.properties.name === 'string'));
const NEAR_ROAD_M = 100;

/** The town a name is after: the longest town short name (街道/镇/乡 dropped) the name starts with, after its county's name. */
function namedTown(name: string, countyCode: string): Town | undefined {
  const county = geodata.counties.find((c) => c.code === countyCode)!;
  const bare = name.startsWith(county.name) ? name.slice(county.name.length) : name;
  return geodata.towns
    .filter((t) => t.countyCode === countyCode && t.short.length > 0 && bare.startsWith(t.short))
    .sort((a, b) => b.short.length - a.short.length)[0];
}

describe('demo facilities where their names put them', () => {
  it('covers every layer of named points', () => {
    expect(NAMED).toEqual(expect.arrayContaining(['fire_stations', 'rescue_teams', 'depots', 'shelters']));
  });

  it.each(NAMED)('%s: one named after a town stands inside that town', (layer) => {
    let named = 0;
    for (const f of demo[layer]) {
      const p = f.properties as { name: string; county_code: string; town: string };
      const town = namedTown(p.name, p.county_code);
      if (!town) continue;
      named++;
      if (p.town !== undefined) expect(p.town, `${p.name} (${f.id})`).toBe(town.name);
      expect(booleanPointInPolygon((f.geometry as Point).coordinates, town.geometry), `${p.name} (${f.id}) inside ${town.name}`).toBe(true);
    }
    if (LAYERS.includes(layer as (typeof LAYERS)[number])) expect(named).toBeGreaterThan(0);
  });

  it('has the towns where they are: 郭家沱 and 寸滩 east of 观音桥 along the Yangtze, not in west 江北', () => {
    const lon = (name: string) => centroid(geodata.towns.find((t) => t.name === name)!.geometry).geometry.coordinates[0];
    expect(lon('郭家沱街道')).toBeGreaterThan(lon('观音桥街道'));
    expect(lon('寸滩街道')).toBeGreaterThan(lon('观音桥街道'));
    expect(lon('郭家沱街道')).toBeGreaterThan(lon('寸滩街道'));
    // Their stations stand east of 观音桥 too.
    const stations = demo.fire_stations.filter((f) => /^(郭家沱|寸滩)/.test(String(f.properties.name)));
    expect(stations.length).toBeGreaterThan(0);
    for (const f of stations) expect((f.geometry as Point).coordinates[0], String(f.properties.name)).toBeGreaterThan(lon('观音桥街道'));
  });

  it('finds the town in the names the generator makes', () => {
    expect(namedTown('郭家沱消防站', '500105')?.name).toBe('郭家沱街道');
    expect(namedTown('巫山县双龙区域应急救援队', '500237')?.name).toBe('双龙镇');
    expect(namedTown('江北区防汛抢险队', '500105')).toBeUndefined();
  });

  it.each(LAYERS)(`%s: every one within ${NEAR_ROAD_M} m of a drivable demo road`, (layer) => {
    const ix = snapIndexOf(buildGraph(demo.roads));
    for (const f of demo[layer]) {
      const [lon, lat] = (f.geometry as Point).coordinates;
      const s = snap(ix, lon, lat, { mode: 'drive', maxDistanceM: NEAR_ROAD_M });
      expect(s.ok, `${f.properties.name} (${f.id})`).toBe(true);
    }
    expect(NEAR_ROAD_M).toBeLessThan(FIRE_OFF_ROAD_WARN_M);
  });
});
