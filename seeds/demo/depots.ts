/** depots: a county depot, town stores and some community points, with inventories (demo). */
import { PLAN } from './plan-figures.js';
import { countSource } from './provenance.js';
import { community, road } from './naming.js';
import { demoPhone, personName, phoneCode, placeProps, pointFeature, sitePointIn, seatTown, seq, type DemoFeature, type Geodata, type Town } from './places.js';
import { createRng, type Rng } from './rng.js';

type Level = 'county' | 'town' | 'community';

/** Stock ranges for a county depot; a town store holds about a tenth, a community point a fiftieth. */
const COUNTY_STOCK: Record<string, [number, number]> = {
  tent: [300, 800],
  quilt: [2000, 5000],
  folding_bed: [500, 1500],
  clothing: [1000, 3000],
  flood_sack: [20000, 50000],
  life_jacket: [500, 1500],
  assault_boat: [2, 6],
  generator: [10, 30],
  pump: [10, 30],
  lighting: [20, 60],
  fire_kit: [50, 200],
  drinking_water: [500, 2000],
  food: [500, 2000],
};
const SHARE: Record<Level, number> = { county: 1, town: 0.1, community: 0.02 };

function inventory(rng: Rng, level: Level): { item: string; quantity: number }[] {
  const kinds = Object.keys(COUNTY_STOCK);
  const held = level === 'county' ? kinds : rng.sample(kinds, level === 'town' ? rng.int(6, 10) : rng.int(3, 5));
  return held.map((item) => {
    const [lo, hi] = COUNTY_STOCK[item];
    return { item, quantity: Math.max(1, Math.round(rng.between(lo, hi) * SHARE[level])) };
  });
}

/** Persons a depot can give basic living relief: one quilt each (the scarcest bedding item). */
const suppliedBy = (inv: { item: string; quantity: number }[]): number => inv.find((i) => i.item === 'quilt')?.quantity ?? 0;

export function depots({ counties, towns, roadside }: Geodata): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const county of counties) {
    const rng = createRng(`depots:${county.code}`);
    const plan = PLAN[county.code as keyof typeof PLAN];
    const own = towns.filter((t) => t.countyCode === county.code);
    const seat = seatTown(county, own);
    let n = 0;
    const depot = (town: Town, level: Level, name: string, status: string, source: string): DemoFeature => {
      const inv = inventory(rng, level);
      return pointFeature(`depots-${county.code}-${seq(++n)}`, sitePointIn(town, rng, roadside), {
        ...placeProps(town, name, `${town.name}${road(rng)}`),
        level,
        inventory: inv,
        supply_persons: suppliedBy(inv),
        status,
        contact: personName(rng),
        phone: demoPhone(rng, phoneCode(county.code)),
        source,
      });
    };
    const countyDepot = depot(seat, 'county', `${county.name}救灾物资储备库`, 'in_service', countSource(undefined));
    if ('depotSupplyPersons' in plan) {
      // 巫山: the county reserve covers 3,000 people (the plan's figure); bedding is sized to it.
      const persons = plan.depotSupplyPersons.value;
      const inv = countyDepot.properties.inventory as { item: string; quantity: number }[];
      inv.find((i) => i.item === 'quilt')!.quantity = persons;
      countyDepot.properties.supply_persons = persons;
      countyDepot.properties.source = countSource(plan.depotSupplyPersons);
    }
    out.push(countyDepot);
    if ('plannedDepot' in plan) out.push(depot(seat, 'county', plan.plannedDepot.value, 'planned', countSource(plan.plannedDepot)));
    const everyTown = county.code === '510802'; // 利州: “各乡镇（街道）都建立相应的救灾物资储备库（点）”
    for (const town of own) {
      if (everyTown || rng.chance(0.85)) out.push(depot(town, 'town', `${town.name}应急物资储备点`, 'in_service', countSource(undefined)));
      if (rng.chance(0.3)) out.push(depot(town, 'community', `${town.short}${community(rng)}应急物资储备点`, 'in_service', countSource(undefined)));
    }
  }
  return out;
}
