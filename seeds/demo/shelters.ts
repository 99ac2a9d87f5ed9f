/** shelters: counts from the plans, classes per GB 51143-2015, capacity from effective area. */
import { SHELTER_AREA_PER_PERSON, shelterCapacity, type ShelterClass } from '../../core/standards.js';
import { apportion } from '../../core/population/apportion.js';
import { DEMO_COUNTS, PLAN } from './plan-figures.js';
import { countSource } from './provenance.js';
import { road } from './naming.js';
import { demoPhone, perTown, personName, phoneCode, placeProps, pointFeature, sitePointIn, seatTown, seq, uniqueNames, type DemoFeature, type Geodata, type Town } from './places.js';
import { createRng, type Rng } from './rng.js';

const SITE_KINDS: Record<ShelterClass, string[]> = {
  emergency: ['社区广场', '小学操场', '街心公园', '文化广场', '中学操场', '社区公园'],
  fixed_short: ['中学', '体育场', '公园', '广场'],
  fixed_medium: ['中学', '体育馆', '公园'],
  fixed_long: ['体育中心', '职业学校', '滨江公园'],
  central: ['中心公园', '体育中心'],
};

/** Effective area range per class, m²: small squares for emergency use up to central parks. */
const AREA_RANGE: Record<ShelterClass, [number, number]> = {
  emergency: [2_000, 15_000],
  fixed_short: [10_000, 40_000],
  fixed_medium: [20_000, 60_000],
  fixed_long: [30_000, 90_000],
  central: [80_000, 200_000],
};

const FACILITIES = ['water', 'power', 'toilet', 'medical', 'broadcast', 'storage', 'fire'];

function shelterClass(rng: Rng): ShelterClass {
  const r = rng.next();
  return r < 0.55 ? 'emergency' : r < 0.8 ? 'fixed_short' : r < 0.92 ? 'fixed_medium' : 'fixed_long';
}

function hazards(rng: Rng): string[] {
  const out = ['earthquake', 'flood', 'geohazard', 'fire', 'extreme_weather'].filter((_, i) => rng.chance([0.9, 0.6, 0.5, 0.7, 0.5][i]));
  return out.length ? out : ['earthquake'];
}

/**
 * Demo accessibility (labelled demo with the record): larger fixed and central shelters are parks,
 * stadiums and schools with more provisions. Drawn from a generator of its own per shelter, so the
 * rest of the demo data (positions, classes, capacities) is the same as before this field existed.
 */
function accessibility(id: string, cls: ShelterClass): string[] {
  const rng = createRng(`shelter-accessibility:${id}`);
  const big = cls !== 'emergency';
  const p: [string, number][] = [
    ['wheelchair', big ? 0.8 : 0.45],
    ['accessible_toilet', big ? 0.6 : 0.2],
    ['tactile_paving', big ? 0.4 : 0.15],
    ['pets_allowed', 0.3],
    ['indoor', cls === 'fixed_medium' || cls === 'fixed_long' || cls === 'central' ? 0.7 : 0.1],
  ];
  return p.filter(([, chance]) => rng.chance(chance)).map(([value]) => value);
}

function shelter(rng: Rng, id: string, town: Town, cls: ShelterClass, name: (n: string) => string, status: string, source: string, roadside: Geodata['roadside']): DemoFeature {
  const [lo, hi] = AREA_RANGE[cls];
  const area = Math.round(rng.between(lo, hi) / 10) * 10;
  const nFacilities = cls === 'central' ? FACILITIES.length : cls === 'emergency' ? rng.int(2, 3) : rng.int(4, 6);
  return pointFeature(id, sitePointIn(town, rng, roadside), {
    ...placeProps(town, name(`${town.short}${rng.pick(SITE_KINDS[cls])}应急避难场所`), `${town.name}${road(rng)}`),
    class: cls,
    area_m2: area,
    capacity: shelterCapacity(cls, area),
    hazards: hazards(rng),
    facilities: cls === 'central' ? FACILITIES : rng.sample(FACILITIES, nFacilities),
    accessibility: accessibility(id, cls),
    status,
    manager: personName(rng),
    phone: demoPhone(rng, phoneCode(town.countyCode)),
    source,
  });
}

export function shelters({ counties, towns, roadside }: Geodata): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const county of counties) {
    const rng = createRng(`shelters:${county.code}`);
    const plan = PLAN[county.code as keyof typeof PLAN];
    const figure = 'shelters' in plan ? plan.shelters : undefined;
    const count = figure?.value ?? DEMO_COUNTS.shelters[county.code];
    const source = countSource(figure);
    const own = towns.filter((t) => t.countyCode === county.code);
    const seat = seatTown(county, own);
    const name = uniqueNames();
    const features: DemoFeature[] = [];
    // The county's largest shelter is a central one in the urban core (GB 51143-2015 中心避难场所).
    features.push(shelter(rng, `shelters-${county.code}-${seq(1)}`, seat, count >= 20 ? 'central' : 'fixed_long', name, 'open', source, roadside));
    const split = perTown(own, count - 1);
    own.forEach((town, i) => {
      for (let k = 0; k < split[i]; k++) {
        const status = rng.chance(0.9) ? 'open' : rng.chance(0.4) ? 'full' : 'closed';
        features.push(shelter(rng, `shelters-${county.code}-${seq(features.length + 1)}`, town, shelterClass(rng), name, status, source, roadside));
      }
    });
    if ('shelterCapacity' in plan) fitCapacity(features, plan.shelterCapacity.value);
    if ('newShelters' in plan) {
      for (let k = 0; k < plan.newShelters.value; k++) {
        const town = rng.pick(own);
        features.push(shelter(rng, `shelters-${county.code}-new-${k + 1}`, town, 'fixed_short', name, 'planned', countSource(plan.newShelters), roadside));
      }
    }
    out.push(...features);
  }
  return out;
}

/** Scales capacities to a plan's stated total (巫山: 8 shelters for 26,000 people) and sets area to match. */
function fitCapacity(features: DemoFeature[], total: number): void {
  const caps = apportion(total, features.map((f) => f.properties!.capacity as number));
  features.forEach((f, i) => {
    const cls = f.properties!.class as ShelterClass;
    f.properties!.capacity = caps[i];
    f.properties!.area_m2 = caps[i] * SHELTER_AREA_PER_PERSON[cls];
  });
}

