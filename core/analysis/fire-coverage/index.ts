/**
 * The fire-coverage slice: the request (request.ts), the pure function (fire-coverage.ts), and
 * here the adapter from the catalogue's fire_stations features to the stations it takes.
 */
import type { CountyInput, SiteRecord } from '../slice.js';
import { fireCoverage, type FireCoverageResult, type FireStationSite } from './fire-coverage.js';
import type { FireCoverageRequest } from './request.js';

export * from './fire-coverage.js';
export * from './request.js';

/** The catalogue layers the analysis reads. */
export const FIRE_COVERAGE_READS = ['fire_stations'] as const;

export const fireStationsOf = (sites: readonly SiteRecord[]): FireStationSite[] =>
  sites.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat, name: String(s.p.name), type: String(s.p.type), status: String(s.p.status) }));

/** The answer to a request on a county: the analysis' result as it is. */
export function runFireCoverage(input: CountyInput, request: FireCoverageRequest): FireCoverageResult {
  return fireCoverage(input.graph, input.grid, input.towns, fireStationsOf(input.sites.fire_stations ?? []), request);
}
