/**
 * Enough? Relief supplies the depots within each drive-time tier hold, against what the affected
 * people need, item by item, from per-person rates. The rates are settings (a bureau may send its
 * own norm in the request); each default carries its source:
 *
 * - tent: Sphere Handbook 2018, Shelter and settlement standard 3 (Living space): at least 3.5 m²
 *   covered living space per person; a 民政部 household relief tent is 12 m² (MZ/T 011.1-2010
 *   《救灾帐篷 第1部分：12m²单帐篷》) → 3.5 / 12 ≈ 0.29 tents per person (one per 3–4 persons).
 * - quilt: Sphere Handbook 2018, Shelter and settlement standard 4 (Household items): bedding for
 *   every person → one quilt (blanket) per person.
 * - folding_bed: the same standard 4: something to sleep on (a mat, mattress or bed) for every
 *   person → one folding bed per person.
 * - clothing: the same standard 4: at least two full sets of clothing per person; depots stock the
 *   warm layer (棉衣), so one per person.
 * - drinking_water: Sphere Handbook 2018, Water supply standard 2.1: 15 L per person per day for
 *   drinking and domestic hygiene, of which 2.5–3 L is for drinking and food (the standard's table
 *   of basic survival water needs). Depots hold bottled drinking water, so the rate is the 3 L
 *   drinking part; the rest comes by water tanker and is not counted here. A case is taken as
 *   12 L (24 × 0.5 L bottles — an assumption; set LITRES_PER_CASE) → 0.25 cases per person per day.
 * - food: Sphere Handbook 2018, Food security standard 6 (General nutrition): 2,100 kcal per person
 *   per day; a case of ready meals is taken as 8,400 kcal (24 × 350 kcal — an assumption) → 0.25
 *   cases per person per day.
 */
import type { SupplyLine, SupplyRate } from './schema.js';

/** Days of supplies the need covers by default: the first day. */
export const DEFAULT_DAYS = 1;

export const LITRES_PER_CASE = 12;
export const KCAL_PER_CASE = 8400;

export const DEFAULT_RATES: readonly SupplyRate[] = [
  {
    item: 'tent',
    perPerson: 3.5 / 12,
    unit: 'tents',
    perDay: false,
    source: 'Sphere Handbook 2018, Shelter and settlement standard 3: 3.5 m² covered living space per person; 12 m² household tent (MZ/T 011.1-2010)',
  },
  {
    item: 'quilt',
    perPerson: 1,
    unit: 'quilts',
    perDay: false,
    source: 'Sphere Handbook 2018, Shelter and settlement standard 4: bedding (a blanket or quilt) for every person',
  },
  {
    item: 'folding_bed',
    perPerson: 1,
    unit: 'beds',
    perDay: false,
    source: 'Sphere Handbook 2018, Shelter and settlement standard 4: something to sleep on (a mat, mattress or bed) for every person',
  },
  {
    item: 'clothing',
    perPerson: 1,
    unit: 'pieces',
    perDay: false,
    source: 'Sphere Handbook 2018, Shelter and settlement standard 4: two full sets of clothing per person; one warm garment (棉衣) each',
  },
  {
    item: 'drinking_water',
    perPerson: 3 / LITRES_PER_CASE,
    unit: 'cases',
    perDay: true,
    source: `Sphere Handbook 2018, Water supply standard 2.1: 15 L/person/day in all, of which 2.5–3 L drinking; 3 L per person per day at ${LITRES_PER_CASE} L per case`,
  },
  {
    item: 'food',
    perPerson: 2100 / KCAL_PER_CASE,
    unit: 'cases',
    perDay: true,
    source: `Sphere Handbook 2018, Food security standard 6: 2,100 kcal/person/day; ${KCAL_PER_CASE} kcal per case`,
  },
];

/** A bureau's own rate replaces a default's figure and says so. */
export const OWN_NORM = 'setting: the bureau’s own norm';

/** Defaults with the caller's overrides; an override for an item without a default adds it (per person, not per day). */
export function ratesWith(overrides: Readonly<Record<string, number>> = {}): SupplyRate[] {
  const out = DEFAULT_RATES.map((r) => (r.item in overrides ? { ...r, perPerson: overrides[r.item], source: OWN_NORM } : { ...r }));
  for (const [item, perPerson] of Object.entries(overrides)) {
    if (!out.some((r) => r.item === item)) out.push({ item, perPerson, unit: item, perDay: false, source: OWN_NORM });
  }
  return out;
}

/** A depot's (or several depots') stock of one item. */
export const stockOf = (inventory: readonly { item: string; quantity: number }[], item: string): number =>
  inventory.reduce((s, i) => (i.item === item ? s + Math.max(0, i.quantity) : s), 0);

/**
 * 可保障人数: the persons an inventory gives the whole basic kit — every rated item at its rate, for
 * `days` days of the consumables — i.e. the fewest persons any rated item covers, with that item
 * (the one that binds). One definition for the catalogue's `supply_persons`, the demo data and the
 * depot standard of relief reach. An item rated 0 per person binds nobody.
 */
export function personsSupplied(
  inventory: readonly { item: string; quantity: number }[],
  rates: readonly SupplyRate[],
  days: number,
): { persons: number; binding: string | null } {
  let persons = Infinity;
  let binding: string | null = null;
  for (const r of rates) {
    const each = r.perPerson * (r.perDay ? days : 1);
    if (!(each > 0)) continue;
    // Round away float noise first (875 / (3.5/12) is 2999.9999…).
    const p = Math.floor(Math.round((stockOf(inventory, r.item) / each) * 1e6) / 1e6);
    if (p < persons) [persons, binding] = [p, r.item];
  }
  return Number.isFinite(persons) ? { persons, binding } : { persons: 0, binding: null };
}

/** A depot's 可保障人数 (the catalogue's `supply_persons`): the default rates, the first day's consumables. */
export const supplyPersonsOf = (inventory: readonly { item: string; quantity: number }[]): number =>
  personsSupplied(inventory, DEFAULT_RATES, DEFAULT_DAYS).persons;

export interface DepotStock {
  /** Seconds from the depot to the incident; Infinity when unreachable. */
  seconds: number;
  inventory: readonly { item: string; quantity: number }[];
}

/** Whole units needed: persons × rate (× days for consumables), rounded up. */
export function needOf(rate: SupplyRate, persons: number, days: number): number {
  // Round away float noise first (3000 × 3.5/12 is 874.9999…).
  return Math.ceil(Math.round(persons * rate.perPerson * (rate.perDay ? days : 1) * 1e6) / 1e6);
}

/** Per tier (cumulative: every depot within the tier's minutes), each item's stock against the need. */
export function supplyVsNeed(
  persons: number,
  days: number,
  rates: readonly SupplyRate[],
  tiers: readonly number[],
  depots: readonly DepotStock[],
): { minutes: number; items: SupplyLine[] }[] {
  return tiers.map((minutes) => {
    const near = depots.filter((d) => d.seconds <= minutes * 60);
    return {
      minutes,
      items: rates.map((r) => {
        const available = near.reduce((s, d) => s + d.inventory.filter((i) => i.item === r.item).reduce((a, i) => a + i.quantity, 0), 0);
        const need = needOf(r, persons, days);
        return { item: r.item, available, need, shortfall: Math.max(0, need - available) };
      }),
    };
  });
}
