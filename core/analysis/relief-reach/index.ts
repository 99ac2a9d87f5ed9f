/**
 * The relief-reach slice: the request (request.ts), the pure function (relief-reach.ts), and here
 * the adapter from the catalogue's depots to the depots it takes and the shaping of the answer
 * (the towns as GeoJSON).
 */
import type { CountyInput, SiteRecord } from '../slice.js';
import { townAreas, type TownAreas } from '../town-areas.js';
import { reliefReach, type DepotSite, type ReliefReachResult, type TownRelief } from './relief-reach.js';
import type { ReliefReachRequest } from './request.js';

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
    inventory: (d.p.inventory as { item: string; quantity: number }[] | undefined) ?? [],
  }));

export interface ReliefReachAnswer extends ReliefReachResult {
  townAreas: TownAreas<TownRelief>;
}

export function runReliefReach(input: CountyInput, request: ReliefReachRequest): ReliefReachAnswer {
  const result = reliefReach(input.graph, input.grid, input.towns, depotsOf(input.sites.depots ?? []), request);
  return { ...result, townAreas: townAreas(input.towns, result.towns) };
}
