/** Fire-station coverage's request (POST /api/analysis/fire-coverage): one schema for the server and the client. */
import { z } from 'zod';
import { countyCode, defineAnalysis } from '../slice.js';

export const fireCoverageRequest = z.object({
  county: countyCode,
  /** Urban built-up areas: 4 min driving (GB 51080-2015 §4.1.3). */
  driveMinutes: z.number().gt(0).max(120).optional(),
  turnoutMinutes: z.number().min(0).max(30).optional(),
  /** Rural towns: 14 min driving (a setting; core/standards.ts FIRE_RURAL_RESPONSE). */
  ruralDriveMinutes: z.number().gt(0).max(120).optional(),
  /** Town codes the bureau marks urban besides the 街道 (each must be a town of the county). */
  urbanTowns: z.array(z.string().min(1)).max(500).optional(),
  /** Absent: every type but micro stations (fire-coverage.ts). */
  types: z.array(z.string()).min(1).optional(),
  includePlanned: z.boolean().optional(),
  /** A station farther than this from a drivable road is flagged (default 200 m). */
  offRoadWarnM: z.number().min(0).max(1000).optional(),
  /** Micro stations: arrival target (公消〔2015〕301号: 3 min) and how they travel. */
  microMinutes: z.number().gt(0).max(120).optional(),
  microMode: z.enum(['drive', 'walk']).optional(),
});
export type FireCoverageRequest = z.infer<typeof fireCoverageRequest>;

export const FIRE_COVERAGE = defineAnalysis({
  id: 'fire',
  slice: 'fire-coverage',
  route: 'fire-coverage',
  // Reads fire stations, an internal layer.
  access: 'token',
  label: { zh: '消防站覆盖（城区5分钟、乡镇15分钟）', en: 'Fire stations: coverage (urban 5 min, rural 15 min)' },
  schema: fireCoverageRequest,
  example: '{"county": "500117", "driveMinutes": 4, "turnoutMinutes": 1, "ruralDriveMinutes": 14, "urbanTowns": ["500117003"], "includePlanned": false}',
});
