/**
 * The demo dataset: every catalogue layer for the five areas, generated reproducibly from the
 * shipped boundaries (geodata/) and the plans' figures (plan-figures.ts). Every generated record
 * says so in its `source`, which starts with "demo".
 */
import { adminUnits } from './admin-units.js';
import { depots } from './depots.js';
import { withStationEquipment, withTeamEquipment } from './equipment.js';
import { experts } from './experts.js';
import { fireStations } from './fire-stations.js';
import { geohazards } from './geohazards.js';
import { hazardZones } from './hazard-zones.js';
import { loadGeodata, roadsideIndex, type DemoFeature } from './places.js';
import { rescueTeams } from './rescue-teams.js';
import { generateRoads } from './roads.js';
import { withShelterClasses } from './shelter-classes.js';
import { shelters } from './shelters.js';

export function generateDemo(boundaries = loadGeodata()): Record<string, DemoFeature[]> {
  const roads = generateRoads(boundaries);
  const geodata = { ...boundaries, roadside: roadsideIndex(boundaries.towns, roads) };
  const points = geohazards(geodata);
  return {
    admin_units: adminUnits(geodata),
    shelters: withShelterClasses(shelters(geodata)),
    depots: depots(geodata),
    fire_stations: withStationEquipment(fireStations(geodata)),
    rescue_teams: withTeamEquipment(rescueTeams(geodata)),
    geohazards: points,
    experts: experts(geodata),
    hazard_zones: hazardZones(geodata, points),
    roads,
  };
}
