/** depots: a county depot, town stores and some community points, with inventories (demo). */
import { DEFAULT_RATES, needOf, supplyPersonsOf } from '../../core/incident/supply.js';
import { PLAN } from './plan-figures.js';
import { countSource } from './provenance.js';
import { community, road } from './naming.js';
import { demoPhone, personName, phoneCode, placeProps, pointFeature, sitePointIn, seatTown, seq, type DemoFeature, type Geodata, type Town } from './places.js';
import { createRng, type Rng } from './rng.js';

type Level = 'county' | 'town' | 'community';

/**
 * Stock ranges for a county depot; a town store holds about a tenth, a community point a fiftieth.
 * The basic-living kit is ranged for 2,000–5,000 persons at the per-person rates of
 * core/incident/supply.ts (tents 3.5/12 a person), so the scarcest item, not a mismatch of ranges,
 * decides a depot's 可保障人数.
 */
const COUNTY_STOCK: Record<string, [number, number]> = {
  tent: [600, 1500],
  quilt: [2000, 5000],
  folding_bed: [2000, 5000],
  clothing: [2000, 5000],
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

/**
 * Every store holds the basic-living kit the per-person rates name (tents, quilts, beds, warm
 * clothes, water, food), so its 可保障人数 (supply_persons, derived from the inventory by those rates
 * in core) counts; the other kinds vary. The kit is drawn from its own stream so that adding it
 * leaves the depots' other draws (kinds, positions, contacts) as they were.
 */
function withKit(inv: { item: string; quantity: number }[], kit: Rng, level: Level): { item: string; quantity: number }[] {
  for (const { item } of DEFAULT_RATES) {
    if (inv.some((i) => i.item === item)) continue;
    const [lo, hi] = COUNTY_STOCK[item];
    inv.push({ item, quantity: Math.max(1, Math.round(kit.between(lo, hi) * SHARE[level])) });
  }
  return inv;
}

export function depots({ counties, towns, roadside }: Geodata): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const county of counties) {
    const rng = createRng(`depots:${county.code}`);
    const kit = createRng(`depot-kit:${county.code}`);
    const plan = PLAN[county.code as keyof typeof PLAN];
    const own = towns.filter((t) => t.countyCode === county.code);
    const seat = seatTown(county, own);
    let n = 0;
    const depot = (town: Town, level: Level, name: string, status: string, source: string): DemoFeature => {
      const inv = withKit(inventory(rng, level), kit, level);
      return pointFeature(`depots-${county.code}-${seq(++n)}`, sitePointIn(town, rng, roadside), {
        ...placeProps(town, name, `${town.name}${road(rng)}`),
        level,
        inventory: inv,
        supply_persons: supplyPersonsOf(inv),
        status,
        contact: personName(rng),
        phone: demoPhone(rng, phoneCode(county.code)),
        source,
      });
    };
    const countyDepot = depot(seat, 'county', `${county.name}救灾物资储备库`, 'in_service', countSource(undefined));
    if ('depotSupplyPersons' in plan) {
      // 巫山: the county reserve covers 3,000 people (the plan's figure); the kit is sized to it.
      const persons = plan.depotSupplyPersons.value;
      const inv = countyDepot.properties.inventory as { item: string; quantity: number }[];
      for (const r of DEFAULT_RATES) inv.find((i) => i.item === r.item)!.quantity = needOf(r, persons, 1);
      countyDepot.properties.supply_persons = supplyPersonsOf(inv);
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
