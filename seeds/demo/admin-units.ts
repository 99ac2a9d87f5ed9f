/** admin_units: the five counties (real boundary, real census total) and their towns (demo split). */
import { AREAS } from '../../core/areas.js';
import { demoSource } from '../../core/catalogue/provenance.js';
import type { DemoFeature, Geodata } from './places.js';

export function adminUnits({ counties, towns }: Geodata): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const c of counties) {
    const area = AREAS.find((a) => a.code === c.code)!;
    out.push({
      type: 'Feature',
      id: c.code,
      geometry: c.geometry,
      properties: {
        code: c.code,
        name: c.name,
        level: 'county',
        county_code: c.code,
        population: area.population,
        population_source: area.populationSource,
        source: c.source,
      },
    });
  }
  for (const t of towns) {
    out.push({
      type: 'Feature',
      id: t.code,
      geometry: t.geometry,
      properties: {
        code: t.code,
        name: t.name,
        level: 'town',
        county_code: t.countyCode,
        population: t.population,
        population_source: demoSource('town_population'),
        source: t.source,
      },
    });
  }
  return out;
}
