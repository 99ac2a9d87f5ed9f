/** Relief reach's request (POST /api/analysis/relief-reach): one schema for the server and the client. */
import { z } from 'zod';
import { RELIEF_ITEMS } from '../../catalogue/layers.js';
import { rateOverrides } from '../../incident/schema.js';
import { countyCode, defineAnalysis } from '../slice.js';

export const reliefReachRequest = z.object({
  county: countyCode,
  targetHours: z.number().gt(0).max(72).optional(),
  /** Absent: every item with a per-person rate is weighed. */
  item: z.enum(RELIEF_ITEMS.map((i) => i.value) as [string, ...string[]]).optional(),
  dispatchHours: z.number().min(0).max(72).optional(),
  /** Share of each town's residents needing relief (0–1); default 1, every resident. */
  evacuateShare: z.number().min(0).max(1).optional(),
  /** Days of consumables (water, food) the need covers; default 1. */
  days: z.number().gt(0).max(30).optional(),
  /** Per-person rates overriding the Sphere defaults (item → quantity per person), as in the incident view. */
  rates: rateOverrides.optional(),
  /** The depot standard's persons, county level and town level (default the 铜梁 plan's 3,000 and 200). */
  standardCounty: z.number().int().min(0).max(10_000_000).optional(),
  standardTown: z.number().int().min(0).max(10_000_000).optional(),
});
export type ReliefReachRequest = z.infer<typeof reliefReachRequest>;

export const RELIEF_REACH = defineAnalysis({
  id: 'relief',
  slice: 'relief-reach',
  route: 'relief-reach',
  // Reads depots, an internal layer.
  access: 'token',
  label: { zh: '救灾物资可达与保障', en: 'Relief supplies: reach and sufficiency' },
  schema: reliefReachRequest,
  example: '{"county": "500237", "targetHours": 4, "evacuateShare": 0.1, "item": "tent"}',
});
