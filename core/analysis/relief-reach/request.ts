/** Relief reach's request (POST /api/analysis/relief-reach): one schema for the server and the client. */
import { z } from 'zod';
import { RELIEF_ITEMS } from '../../catalogue/layers.js';
import { countyCode, defineAnalysis } from '../slice.js';

export const reliefReachRequest = z.object({
  county: countyCode,
  targetHours: z.number().gt(0).max(72).optional(),
  /** Absent: depots holding any stock count. */
  item: z.enum(RELIEF_ITEMS.map((i) => i.value) as [string, ...string[]]).optional(),
  dispatchHours: z.number().min(0).max(72).optional(),
});
export type ReliefReachRequest = z.infer<typeof reliefReachRequest>;

export const RELIEF_REACH = defineAnalysis({
  id: 'relief',
  slice: 'relief-reach',
  route: 'relief-reach',
  // Reads depots, an internal layer.
  access: 'token',
  label: { zh: '物资10小时可达', en: 'Relief supplies: 10-hour reach' },
  schema: reliefReachRequest,
  example: '{"county": "500237", "targetHours": 10, "item": "tent"}',
});
