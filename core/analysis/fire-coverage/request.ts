/** Fire-station coverage's request (POST /api/analysis/fire-coverage): one schema for the server and the client. */
import { z } from 'zod';
import { countyCode, defineAnalysis } from '../slice.js';

export const fireCoverageRequest = z.object({
  county: countyCode,
  driveMinutes: z.number().gt(0).max(120).optional(),
  turnoutMinutes: z.number().min(0).max(30).optional(),
  /** Absent: every type but micro stations (fire-coverage.ts). */
  types: z.array(z.string()).min(1).optional(),
  includePlanned: z.boolean().optional(),
});
export type FireCoverageRequest = z.infer<typeof fireCoverageRequest>;

export const FIRE_COVERAGE = defineAnalysis({
  id: 'fire',
  slice: 'fire-coverage',
  route: 'fire-coverage',
  // Reads fire stations, an internal layer.
  access: 'token',
  label: { zh: '消防站5分钟覆盖', en: 'Fire stations: 5-minute coverage' },
  schema: fireCoverageRequest,
  example: '{"county": "500117", "driveMinutes": 4, "turnoutMinutes": 1, "includePlanned": false}',
});
