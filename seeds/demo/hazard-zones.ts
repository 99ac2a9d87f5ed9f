/**
 * Demo hazard zones (labelled demo): flood-risk bands along the main rivers of each area and
 * geohazard threat zones around the active high-risk geohazard points. The plans name the rivers
 * (铜梁: 涪江、琼江; 巫山: 长江、大宁河; 合川: 嘉陵江、涪江、渠江 …) but ship no flood-risk map: the river
 * courses below are drawn by hand through the towns on their banks, a few kilometres accurate, and
 * the band widths are assumed. Each zone is clipped to its county.
 */
import { buffer, difference, featureCollection, intersect, lineString, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { County, DemoFeature, Geodata } from './places.js';
import { seq } from './places.js';
import { demoSource } from '../../core/catalogue/provenance.js';

interface River {
  name: string;
  /** Main rivers get wider bands. */
  major: boolean;
  course: Position[];
}

const RIVERS: Record<string, River[]> = {
  '500105': [
    { name: '长江', major: true, course: [[106.585, 29.565], [106.6, 29.59], [106.62, 29.605], [106.66, 29.6], [106.72, 29.615], [106.78, 29.635], [106.85, 29.66], [106.9, 29.672]] },
    { name: '嘉陵江', major: true, course: [[106.45, 29.595], [106.48, 29.58], [106.51, 29.575], [106.545, 29.568], [106.585, 29.565]] },
  ],
  '500117': [
    { name: '嘉陵江', major: true, course: [[106.4, 30.35], [106.34, 30.25], [106.3, 30.12], [106.28, 30.03], [106.27, 29.99], [106.3, 29.94], [106.36, 29.9], [106.43, 29.85]] },
    { name: '涪江', major: false, course: [[105.97, 30.08], [106.05, 30.05], [106.12, 30.02], [106.2, 30.0], [106.265, 29.99]] },
    { name: '渠江', major: false, course: [[106.5, 30.3], [106.42, 30.18], [106.35, 30.08], [106.29, 30.01]] },
  ],
  '500151': [
    { name: '涪江', major: false, course: [[105.95, 30.09], [106.0, 30.04], [106.05, 30.02], [106.12, 30.03], [106.2, 30.02], [106.28, 30.01]] },
    { name: '琼江', major: false, course: [[105.78, 29.92], [105.83, 29.96], [105.88, 30.0], [105.93, 30.03]] },
  ],
  '500237': [
    { name: '长江', major: true, course: [[109.56, 31.04], [109.65, 31.03], [109.75, 31.05], [109.88, 31.07], [109.95, 31.03], [110.05, 31.02], [110.15, 31.04], [110.2, 31.05]] },
    { name: '大宁河', major: false, course: [[109.8, 31.4], [109.83, 31.3], [109.86, 31.2], [109.87, 31.12], [109.879, 31.075]] },
  ],
  '510802': [
    { name: '嘉陵江', major: true, course: [[105.75, 32.68], [105.8, 32.58], [105.83, 32.5], [105.845, 32.44], [105.85, 32.38], [105.9, 32.3]] },
    { name: '南河', major: false, course: [[105.55, 32.4], [105.65, 32.42], [105.75, 32.43], [105.845, 32.435]] },
  ],
};

/** Band widths from the river's centre line, metres: the high-risk band, then the medium-risk one. */
const BANDS = { major: [200, 500], minor: [120, 300] } as const;

/** Threat radius around a geohazard point by its scale, metres (demo). */
const THREAT_RADIUS_M: Record<string, number> = { small: 100, medium: 200, large: 400, huge: 600 };

type Area = Feature<Polygon | MultiPolygon>;

const round = (g: Polygon | MultiPolygon): Polygon | MultiPolygon => {
  const r = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? (c as number[]).map((x) => Math.round(x * 1e6) / 1e6) : (c as unknown[]).map(r));
  return { type: g.type, coordinates: r(g.coordinates) } as Polygon | MultiPolygon;
};

const clip = (a: Area | null | undefined, county: County): Area | null =>
  a ? intersect(featureCollection([a, { type: 'Feature', properties: {}, geometry: county.geometry }])) : null;

const zone = (id: string, geometry: Polygon | MultiPolygon, properties: Record<string, unknown>): DemoFeature => ({
  type: 'Feature',
  id,
  geometry: round(geometry),
  properties,
});

function floodZones(county: County): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const [i, river] of (RIVERS[county.code] ?? []).entries()) {
    const riverNo = i + 1;
    const [inner, outer] = river.major ? BANDS.major : BANDS.minor;
    const line = lineString(river.course);
    const high = buffer(line, inner, { units: 'meters' }) as Area;
    const wide = buffer(line, outer, { units: 'meters' }) as Area;
    const medium = difference(featureCollection([wide, high]));
    const source = demoSource('flood_bands', { river: river.name, inner, outer });
    for (const [level, area, levelZh] of [['high', high, '高风险'], ['medium', medium, '中风险']] as const) {
      const clipped = clip(area, county);
      if (!clipped) continue;
      out.push(
        zone(`hazard_zones-${county.code}-flood-${riverNo}-${level}`, clipped.geometry, {
          name: `${river.name}${county.name}段洪水风险区（${levelZh}）`,
          kind: 'flood_risk',
          hazard: 'flood',
          level,
          county_code: county.code,
          source,
        }),
      );
    }
  }
  return out;
}

/** Threat zones of the active geohazard points rated high or very high. */
function geohazardZones(county: County, geohazards: DemoFeature[]): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const g of geohazards) {
    const p = g.properties;
    if (p.county_code !== county.code || p.status !== 'active' || (p.risk !== 'high' && p.risk !== 'very_high')) continue;
    const radius = THREAT_RADIUS_M[String(p.scale)] ?? 100;
    const clipped = clip(buffer(point((g.geometry as { coordinates: Position }).coordinates), radius, { units: 'meters', steps: 8 }) as Area, county);
    if (!clipped) continue;
    out.push(
      zone(`hazard_zones-${county.code}-geo-${seq(out.length + 1)}`, clipped.geometry, {
        name: `${String(p.name)}威胁区`,
        kind: 'geohazard_threat',
        hazard: 'geohazard',
        level: p.risk,
        county_code: county.code,
        source: demoSource('geohazard_buffer', { radius, point: String(g.id) }),
      }),
    );
  }
  return out;
}

export function hazardZones({ counties }: Geodata, geohazards: DemoFeature[]): DemoFeature[] {
  return counties.flatMap((county) => [...floodZones(county), ...geohazardZones(county, geohazards)]);
}
