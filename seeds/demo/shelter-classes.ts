/**
 * Demo GB/T 44013-2024 grade and classes of the shelters, and the census's areas (labelled demo by
 * the record's source), derived from each shelter's GB 51143-2015 class with a generator of its own
 * per shelter, so the rest of the demo data is the same as before these fields existed:
 * - grade: the central shelter is the district's (县级); large fixed ones county or town, short-term
 *   ones the town's, emergency squares the community's or the town's;
 * - space type: indoor when the shelter has an indoor space (its accessibility list says so),
 *   sometimes with open ground as well; else outdoor;
 * - function: central and long-term shelters, and those declared for three or more hazards, are
 *   multi-hazard (综合性); the rest single-hazard;
 * - duration: emergency → 紧急, fixed short-term → 短期, medium and long-term and central → 长期.
 */
import type { DemoFeature } from './places.js';
import { createRng } from './rng.js';

const DURATION: Record<string, string> = { emergency: 'emergency', fixed_short: 'short', fixed_medium: 'long', fixed_long: 'long', central: 'long' };

export function withShelterClasses(shelters: DemoFeature[]): DemoFeature[] {
  return shelters.map((s) => {
    const p = s.properties;
    const rng = createRng(`shelter-44013:${String(s.id)}`);
    const cls = String(p.class);
    const grade =
      cls === 'central' ? 'county'
      : cls === 'fixed_long' || cls === 'fixed_medium' ? (rng.chance(0.5) ? 'county' : 'town')
      : cls === 'fixed_short' ? 'town'
      : rng.chance(0.7) ? 'community' : 'town';
    const indoor = ((p.accessibility as string[] | undefined) ?? []).includes('indoor');
    const space = indoor ? (rng.chance(0.6) ? 'indoor' : 'both') : 'outdoor';
    const hazards = (p.hazards as string[] | undefined) ?? [];
    const scope = cls === 'central' || cls === 'fixed_long' || hazards.length >= 3 ? 'comprehensive' : 'single';
    const area = Number(p.area_m2 ?? 0);
    const site = Math.round((area * rng.between(1.3, 2)) / 10) * 10;
    const indoorArea = space === 'indoor' ? area : space === 'both' ? Math.round((area * rng.between(0.1, 0.3)) / 10) * 10 : undefined;
    return {
      ...s,
      properties: {
        ...p,
        grade,
        space_type: space,
        scope,
        duration: DURATION[cls],
        site_area_m2: site,
        ...(indoorArea !== undefined ? { indoor_area_m2: indoorArea } : {}),
      },
    };
  });
}
