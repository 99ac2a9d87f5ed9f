/**
 * The depot standard of the 铜梁 plan (重庆市铜梁区“十四五”应急管理规划（2022-07）, 完善应急物资储备):
 * “紧急转移安置人口的物资储备保障标准，区级应达到3000人以上、多灾易灾或偏远镇（街道）应达到200人以上。”
 *
 * Checked per county and per town: the persons the stock can give the whole basic kit
 * (personsSupplied, core/incident/supply.ts: the fewest persons any rated item covers), from
 * - the county: the pooled inventory of its in-service county-level (区县级) depots;
 * - a town: the pooled inventory of the other in-service depots (乡镇（街道）级 and 村（社区）级)
 *   standing in it.
 * The plan holds the town figure for 多灾易灾或偏远 towns; the map does not know which these are, so
 * every town is checked and the bureau reads the rows of the towns it counts as such. Both figures
 * are settings (a county applying its own plan sends its own).
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { SupplyRate } from '../../incident/schema.js';
import { personsSupplied } from '../../incident/supply.js';
import { note, type Note } from '../../note.js';
import type { DepotSite } from './relief-reach.js';

export const TONGLIANG_DEPOT_STANDARD = {
  county: 3000,
  town: 200,
  quote: '紧急转移安置人口的物资储备保障标准，区级应达到3000人以上、多灾易灾或偏远镇（街道）应达到200人以上',
  source: '重庆市铜梁区“十四五”应急管理规划（2022-07），完善应急物资储备',
} as const;

export interface StandardRow {
  level: 'county' | 'town';
  code: string;
  name: string;
  /** Depots pooled. */
  depots: number;
  /** Persons their pooled stock gives the whole basic kit. */
  persons: number;
  /** The item that limits `persons`; null with no rated item. */
  binding: string | null;
  standard: number;
  meets: boolean;
  /** Why it falls short, if it does. */
  reasons: Note[];
}

export interface DepotStandardCheck {
  county: StandardRow;
  towns: StandardRow[];
  /** The standard's figures and its source. */
  basis: Note[];
}

const COUNTY_LEVEL = 'county';

function row(level: StandardRow['level'], code: string, name: string, depots: readonly DepotSite[], standard: number, rates: readonly SupplyRate[], days: number): StandardRow {
  const { persons, binding } = personsSupplied(
    depots.flatMap((d) => d.inventory),
    rates,
    days,
  );
  const meets = persons >= standard;
  // With no depot nothing binds: the row says there is none.
  if (!depots.length) return { level, code, name, depots: 0, persons: 0, binding: null, standard, meets, reasons: meets ? [] : [note('relief_standard_no_depot', { standard })] };
  const reasons: Note[] = [];
  if (!meets) reasons.push(note('relief_standard_short', { persons, standard, item: binding ?? '' }));
  return { level, code, name, depots: depots.length, persons, binding, standard, meets, reasons };
}

export function depotStandard(
  county: { code: string; name: string },
  towns: readonly { code: string; name: string; geometry: Polygon | MultiPolygon }[],
  depots: readonly DepotSite[],
  rates: readonly SupplyRate[],
  days: number,
  standard: { county: number; town: number } = TONGLIANG_DEPOT_STANDARD,
): DepotStandardCheck {
  const serving = depots.filter((d) => d.status !== 'planned');
  const local = serving.filter((d) => d.level !== COUNTY_LEVEL);
  return {
    county: row('county', county.code, county.name, serving.filter((d) => d.level === COUNTY_LEVEL), standard.county, rates, days),
    towns: towns.map((t) =>
      row(
        'town',
        t.code,
        t.name,
        local.filter((d) => booleanPointInPolygon([d.lon, d.lat], t.geometry)),
        standard.town,
        rates,
        days,
      ),
    ),
    basis: [note('relief_standard_basis', { county: standard.county, town: standard.town })],
  };
}
