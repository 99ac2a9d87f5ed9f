/**
 * Isochrones in a worker thread (server/workers/pool.ts): the Dijkstra, the travel-time raster and
 * the polygon tracing take the CPU off the thread that answers everyone else. The graph and the
 * population grid arrive in shared memory (shared.ts); the objects are kept by key so that the snap
 * index built on a graph serves the next tasks on it too.
 */
import { IsochroneError, isochrones, type IsochroneRequest, type IsochroneResult } from '../../core/analysis/isochrone/index.js';
import type { Graph } from '../../core/network/graph.js';
import type { PopulationGrid } from '../../core/population/grid.js';
import { keep, type HandedOver } from './shared.js';

export interface IsochroneTask {
  graph?: HandedOver<Graph>;
  population?: HandedOver<PopulationGrid>;
  body: IsochroneRequest;
}

export type IsochroneOutcome = { answer: IsochroneResult } | { error: { parameter: string; message: string } };

export default function run(task: IsochroneTask): IsochroneOutcome {
  try {
    return { answer: isochrones(keep(task.graph), keep(task.population), task.body) };
  } catch (err) {
    if (err instanceof IsochroneError) return { error: { parameter: err.parameter, message: err.message } };
    throw err;
  }
}
