/** Shelter capacity's request (POST /api/analysis/shelter-capacity): one schema for the server and the client. */
import { z } from 'zod';
import { HAZARDS } from '../../catalogue/layers.js';
import { SHELTER_CLASSES, type ShelterClass } from '../../standards.js';
import { countyCode, defineAnalysis } from '../slice.js';
import { DEFAULT_HAZARD_BUFFER_M } from './suitability.js';

export const shelterCapacityRequest = z.object({
  county: countyCode,
  /** Absent: every in-use shelter counts, whatever it is declared for. */
  hazard: z.enum(HAZARDS.map((h) => h.value) as [string, ...string[]]).optional(),
  areaPerResidentM2: z.number().gt(0).max(100).optional(),
  serviceRadiusM: z.partialRecord(z.enum(SHELTER_CLASSES as [ShelterClass, ...ShelterClass[]]), z.number().min(0).max(20_000)).optional(),
  metric: z.enum(['network', 'straight-line']).default('network'),
  bufferM: z.number().min(0).max(5000).default(DEFAULT_HAZARD_BUFFER_M),
  includePlanned: z.boolean().optional(),
});
export type ShelterCapacityRequest = z.infer<typeof shelterCapacityRequest>;
export type ShelterCapacityBody = z.input<typeof shelterCapacityRequest>;

export const SHELTER_CAPACITY = defineAnalysis({
  id: 'shelter',
  slice: 'shelter-capacity',
  route: 'shelter-capacity',
  // Reads geohazards, an internal layer.
  access: 'token',
  label: { zh: '避难场所人均面积与服务半径', en: 'Shelters: area per resident and service radius' },
  schema: shelterCapacityRequest,
  example: '{"county": "500105", "hazard": "earthquake", "areaPerResidentM2": 1.5, "metric": "network", "bufferM": 200}',
});
