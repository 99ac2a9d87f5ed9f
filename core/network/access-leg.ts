/**
 * The access leg: from a facility's door (or an origin) to the point where it joins the road
 * network (its snap, core/network/snap.ts). ONE rule for every analysis:
 * - `drive` — a vehicle leaving a station, depot or yard drives the leg at the speed of the road
 *   it joins (that link's length ÷ its drive time, the faster direction it can be driven);
 * - `walk` — a person walks the leg at the graph's walking speed.
 * A leg longer than `warnM` (FIRE_OFF_ROAD_WARN_M, 200 m, a setting) is flagged off-road: the
 * facility's position or the road data is likely wrong, and the time is a guess.
 */
import type { Source } from './dijkstra.js';
import type { Graph, Mode } from './graph.js';
import { partialCosts, type Snap } from './snap.js';
import { FIRE_OFF_ROAD_WARN_M } from '../standards.js';

export interface AccessLeg {
  /** Seconds from the door to the snap point. */
  seconds: number;
  /** Metres from the door to the snap point. */
  distanceM: number;
  /** Metres per second along the leg. */
  speedMs: number;
  /** The leg is longer than the warning distance. */
  offRoad: boolean;
}

/** Metres per second of a vehicle on the snapped link: its faster drivable direction; walking when it has no usable drive time (a zero-length link). */
function driveSpeedMs(g: Graph, link: number): number {
  const cost = Math.min(g.driveForward[link], g.driveBackward[link]);
  return cost > 0 && cost < Infinity && g.linkLengthM[link] > 0 ? g.linkLengthM[link] / cost : g.walkSpeedMs;
}

/** The door-to-road leg of a snapped place in `mode`. */
export function accessLeg(g: Graph, s: Snap, mode: Mode, warnM: number = FIRE_OFF_ROAD_WARN_M): AccessLeg {
  const speedMs = mode === 'drive' ? driveSpeedMs(g, s.link) : g.walkSpeedMs;
  return { seconds: s.distanceM / speedMs, distanceM: s.distanceM, speedMs, offRoad: s.distanceM > warnM };
}

/**
 * Search sources for a snapped facility or origin: the access leg, then along the snapped link
 * to whichever ends its direction allows in `mode`.
 */
export function accessSources(g: Graph, s: Snap, mode: Mode): Source[] {
  const off = accessLeg(g, s, mode).seconds;
  const { toFrom, toTo } = partialCosts(g, s, mode);
  const out: Source[] = [];
  if (toFrom < Infinity) out.push({ node: g.linkFrom[s.link], cost: off + toFrom });
  if (toTo < Infinity) out.push({ node: g.linkTo[s.link], cost: off + toTo });
  return out;
}
