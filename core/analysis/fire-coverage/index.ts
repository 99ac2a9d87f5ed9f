/**
 * The fire-coverage slice: the request (request.ts), the pure function (fire-coverage.ts), and
 * here the adapter from the catalogue's fire_stations features to the stations it takes.
 */
import { ApiError } from '../../api-error.js';
import type { CountyInput, SiteRecord } from '../slice.js';
import { fireCoverage, type FireCoverageResult, type FireStationSite } from './fire-coverage.js';
import type { FireCoverageRequest } from './request.js';

export * from './fire-coverage.js';
export * from './request.js';

/** The catalogue layers the analysis reads. */
export const FIRE_COVERAGE_READS = ['fire_stations'] as const;

export const fireStationsOf = (sites: readonly SiteRecord[]): FireStationSite[] =>
  sites.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat, name: String(s.p.name), type: String(s.p.type), status: String(s.p.status) }));

/** Towns a request marks urban must be the county's: a 400 naming them otherwise (fire coverage and fire-station siting). */
export function checkUrbanTowns(towns: CountyInput['towns'], urbanTowns: readonly string[] | undefined, county: string): void {
  const known = new Set(towns.map((t) => t.code));
  const unknown = (urbanTowns ?? []).filter((c) => !known.has(c));
  if (unknown.length) {
    throw new ApiError(
      400,
      'bad_parameter',
      `"urbanTowns": ${unknown.map((c) => `"${c}"`).join(', ')} ${unknown.length > 1 ? 'are not towns' : 'is not a town'} of county ${county}; send codes of its towns (the admin_units layer).`,
      'urbanTowns',
      { towns: unknown.join(', '), county },
    );
  }
}

/** The answer to a request on a county; a town marked urban that is not the county's is a 400. */
export function runFireCoverage(input: CountyInput, request: FireCoverageRequest): FireCoverageResult {
  checkUrbanTowns(input.towns, request.urbanTowns, request.county);
  return fireCoverage(input.graph, input.grid, input.towns, fireStationsOf(input.sites.fire_stations ?? []), request);
}
