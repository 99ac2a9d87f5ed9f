/**
 * DEMO weighting for the population grid: people live where roads are. Weight of a place = road
 * length (km) within the surrounding 3×3 block of `blockM` squares, plus a small floor so that
 * roadless cells keep a few persons. This is a stand-in for census-block or WorldPop data, and
 * results that use it are labelled demo.
 */
import { EARTH_RADIUS_M, type Graph } from '../network/graph.js';
import type { Weighting } from './grid.js';

/** The weighting's code (message `note.population_weighting_demo_road_density`: road length within ~1 km, not census data). */
export const ROAD_DENSITY_WEIGHTING = 'demo_road_density';

const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

export function roadDensityWeight(g: Graph, blockM = 500, floorKm = 0.05): Weighting {
  let latSum = 0;
  for (let i = 0; i < g.nodeCount; i++) latSum += g.lat[i];
  const kx = M_PER_DEG * Math.cos(((g.nodeCount ? latSum / g.nodeCount : 0) * Math.PI) / 180);
  const key = (bx: number, by: number): number => bx * 1_000_003 + by;
  const blocks = new Map<number, number>();
  for (let l = 0; l < g.linkCount; l++) {
    const a = g.linkFrom[l];
    const b = g.linkTo[l];
    const bx = Math.floor((((g.lon[a] + g.lon[b]) / 2) * kx) / blockM);
    const by = Math.floor((((g.lat[a] + g.lat[b]) / 2) * M_PER_DEG) / blockM);
    blocks.set(key(bx, by), (blocks.get(key(bx, by)) ?? 0) + g.linkLengthM[l] / 1000);
  }
  return (lon, lat) => {
    const bx = Math.floor((lon * kx) / blockM);
    const by = Math.floor((lat * M_PER_DEG) / blockM);
    let km = floorKm;
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) km += blocks.get(key(bx + dx, by + dy)) ?? 0;
    return km;
  };
}
