/**
 * The demo dataset: every catalogue layer for the five areas, generated reproducibly from the
 * shipped boundaries (geodata/) and the plans' figures (plan-figures.ts). Every generated record
 * says so in its `source`, which starts with "demo".
 */
import { adminUnits } from './admin-units.js';
import { depots } from './depots.js';
import { fireStations } from './fire-stations.js';
import { geohazards } from './geohazards.js';
import { loadGeodata, type DemoFeature } from './places.js';
import { rescueTeams } from './rescue-teams.js';
import { shelters } from './shelters.js';

export function generateDemo(geodata = loadGeodata()): Record<string, DemoFeature[]> {
  return {
    admin_units: adminUnits(geodata),
    shelters: shelters(geodata),
    depots: depots(geodata),
    fire_stations: fireStations(geodata),
    rescue_teams: rescueTeams(geodata),
    geohazards: geohazards(geodata),
  };
}
