/** The isochrone's request (POST /api/analysis/isochrone): one schema for the server and the client. */
import { z } from 'zod';
import { MODES, type Mode } from '../../network/graph.js';
import { defineAnalysis, lonLat } from '../slice.js';

export const LIMITS = { origins: 200, thresholds: 10, maxMinutes: 600, maxOffRoadM: 5000, minCellM: 10, maxCellM: 5000 } as const;

/** "1小时救援圈": the 60-minute drive isochrone from a rescue base or fire station. */
export const RESCUE_CIRCLE = { minutes: [60], mode: 'drive' } as const;

const metres = (max: number) => z.number().min(0).max(max).optional();

export const isochroneRequest = z.object({
  origins: z.array(lonLat).min(1).max(LIMITS.origins),
  minutes: z.array(z.number().gt(0).max(LIMITS.maxMinutes)).min(1).max(LIMITS.thresholds),
  mode: z.enum(MODES as [Mode, ...Mode[]]).default('drive'),
  offRoadM: metres(LIMITS.maxOffRoadM),
  maxSnapM: metres(LIMITS.maxOffRoadM),
  cellSizeM: z.number().min(LIMITS.minCellM).max(LIMITS.maxCellM).optional(),
});
/** The request as the analysis takes it (defaults applied). */
export type IsochroneRequest = z.infer<typeof isochroneRequest>;
/** The request as a caller may send it. */
export type IsochroneBody = z.input<typeof isochroneRequest>;

export const ISOCHRONE = defineAnalysis({
  id: 'isochrone',
  slice: 'isochrone',
  route: 'isochrone',
  // Reads the road network and the population surface only.
  access: 'public',
  label: { zh: '等时圈 / 1小时救援圈', en: 'Isochrones / 1-hour rescue circle' },
  schema: isochroneRequest,
  example: '{"origins": [[106.55, 29.57]], "minutes": [15, 30, 60], "mode": "drive"}',
});
