/** fire_stations: standard stations, town brigades, micro stations, and the plans' named new sites. */
import { FIRE_STATION_STAFFING } from '../../core/standards.js';
import { PLAN } from './plan-figures.js';
import { countSource } from './provenance.js';
import { community, road } from './naming.js';
import { demoPhone, perTown, phoneCode, placeProps, pointFeature, sitePointIn, seatTown, seq, uniqueNames, type DemoFeature, type Geodata, type Town } from './places.js';
import { createRng, type Rng } from './rng.js';

/** Demo line-up of existing standard stations per county (the plans do not list them). */
const STATIONS: Record<string, string[]> = {
  '500105': ['special', 'class1', 'class1', 'class1', 'class2'],
  '500117': ['special', 'class1', 'class1', 'class2'],
  '500151': ['class1', 'class1', 'class2'],
  '500237': ['class1', 'class2'],
  '510802': ['class1', 'class1', 'class2'],
};

const staffing = (rng: Rng, type: string) => {
  const s = FIRE_STATION_STAFFING[type];
  return { vehicles: rng.int(...s.vehicles), personnel: rng.int(...s.personnel) };
};

export function fireStations({ counties, towns, roadside }: Geodata): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const county of counties) {
    const rng = createRng(`fire_stations:${county.code}`);
    const plan = PLAN[county.code as keyof typeof PLAN];
    const own = towns.filter((t) => t.countyCode === county.code);
    const urban = own.filter((t) => t.name.endsWith('街道'));
    const rural = own.filter((t) => !t.name.endsWith('街道'));
    const seat = seatTown(county, own);
    const name = uniqueNames();
    let n = 0;
    const station = (town: Town, type: string, stationName: string, status: string, source: string, id = `fire_stations-${county.code}-${seq(++n)}`) =>
      pointFeature(id, sitePointIn(town, rng, roadside), {
        ...placeProps(town, name(stationName), `${town.name}${road(rng)}`),
        type,
        ...staffing(rng, type),
        status,
        phone: demoPhone(rng, phoneCode(county.code)),
        source,
      });

    const demo = countSource(undefined);
    STATIONS[county.code].forEach((type, i) => {
      const town = i === 0 ? seat : rng.pick(urban.length ? urban : own);
      out.push(station(town, type, `${town.short}${type === 'special' ? '特勤' : ''}消防站`, 'in_service', demo));
    });

    if ('plannedFireStations' in plan) {
      const figure = plan.plannedFireStations;
      for (const site of figure.value as readonly (string | { name: string; type: string })[]) {
        const { name: siteName, type } = typeof site === 'string' ? { name: site, type: 'class1' } : site;
        // 五里店消防站 stands in 五里店街道; 利州's new city stations in the urban core.
        const town = own.find((t) => siteName.startsWith(t.short)) ?? seat;
        out.push(station(town, type, siteName, 'planned', countSource(figure)));
      }
    }
    const upgraded: readonly string[] = 'upgradedBrigades' in plan ? plan.upgradedBrigades.value : [];
    for (const town of rural) {
      if (upgraded.includes(town.name) || rng.chance(0.25)) {
        const source = upgraded.includes(town.name) && 'upgradedBrigades' in plan ? countSource(plan.upgradedBrigades) : demo;
        out.push(station(town, 'professional', `${town.name}专职消防队`, 'in_service', source));
      }
    }

    // Micro stations in every community (“微型消防站建成率达100%”); 巫山 states its count: 134.
    const micro = 'microStations' in plan ? plan.microStations : undefined;
    const split = micro ? perTown(own, micro.value) : own.map(() => rng.int(2, 4));
    own.forEach((town, i) => {
      for (let k = 0; k < split[i]; k++) {
        out.push(station(town, 'micro', `${town.short}${community(rng)}微型消防站`, 'in_service', countSource(micro)));
      }
    });
  }
  return out;
}
