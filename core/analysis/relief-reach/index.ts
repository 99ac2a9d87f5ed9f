/**
 * The relief-reach slice: the request (request.ts), the pure functions (relief-reach.ts: reach and
 * allocation; depot-standard.ts: the 铜梁 plan's depot standard), and here the adapter from the
 * catalogue's depots to the depots they take and the shaping of the answer (the towns as GeoJSON).
 */
import { ApiError } from '../../api-error.js';
import { areaByCode } from '../../areas.js';
import { DEFAULT_DAYS, ratesWith } from '../../incident/supply.js';
import type { CountyInput, SiteRecord } from '../slice.js';
import { townAreas, type TownAreas } from '../town-areas.js';
import { depotStandard, TONGLIANG_DEPOT_STANDARD, type DepotStandardCheck } from './depot-standard.js';
import { reliefReach, type DepotSite, type ReliefReachResult, type TownRelief } from './relief-reach.js';
import type { ReliefReachRequest } from './request.js';

export * from './depot-standard.js';
export * from './relief-reach.js';
export * from './request.js';

export const RELIEF_REACH_READS = ['depots'] as const;

export const depotsOf = (sites: readonly SiteRecord[]): DepotSite[] =>
  sites.map((d) => ({
    id: d.id,
    lon: d.lon,
    lat: d.lat,
    name: String(d.p.name),
    status: String(d.p.status),
    level: typeof d.p.level === 'string' ? d.p.level : undefined,
    inventory: (d.p.inventory as { item: string; quantity: number }[] | undefined) ?? [],
  }));

export interface ReliefReachAnswer extends ReliefReachResult {
  townAreas: TownAreas<TownRelief>;
  standard: DepotStandardCheck;
}

export function runReliefReach(input: CountyInput, request: ReliefReachRequest): ReliefReachAnswer {
  const rates = ratesWith(request.rates);
  if (request.item && !rates.some((r) => r.item === request.item)) {
    throw new ApiError(
      400,
      'bad_parameter',
      `"item": ${request.item} has no per-person rate; send one in "rates", e.g. {"rates": {"${request.item}": 0.1}}.`,
      'item',
      { item: request.item },
    );
  }
  const days = request.days ?? DEFAULT_DAYS;
  const depots = depotsOf(input.sites.depots ?? []);
  const result = reliefReach(input.graph, input.grid, input.towns, depots, { ...request, rates, days });
  const area = areaByCode(request.county);
  const standard = depotStandard({ code: request.county, name: area?.name.zh ?? request.county }, input.towns, depots, rates, days, {
    county: request.standardCounty ?? TONGLIANG_DEPOT_STANDARD.county,
    town: request.standardTown ?? TONGLIANG_DEPOT_STANDARD.town,
  });
  return { ...result, townAreas: townAreas(input.towns, result.towns), standard };
}
