/**
 * The county analyses — fire coverage, shelter capacity, relief reach — in a worker thread
 * (server/workers/pool.ts): their searches over the road graph and sums over the population grid
 * take the CPU off the thread that answers everyone else. The graph and the grid arrive in shared
 * memory (shared.ts) and are kept by key, the towns and sites as copies.
 */
import { runFireCoverage } from '../../core/analysis/fire-coverage/index.js';
import { runReliefReach } from '../../core/analysis/relief-reach/index.js';
import { runShelterCapacity } from '../../core/analysis/shelter-capacity/index.js';
import type { CountyInput } from '../../core/analysis/slice.js';
import type { Graph } from '../../core/network/graph.js';
import type { PopulationGrid } from '../../core/population/grid.js';
import { outcomeOf, type Outcome } from './outcome.js';
import { keep, type HandedOver } from './shared.js';

/** Each county analysis by its route id. */
const RUNS = {
  fire: runFireCoverage,
  shelter: runShelterCapacity,
  relief: runReliefReach,
} as const satisfies Record<string, (input: CountyInput, body: never) => unknown>;

export type CountyAnalysis = keyof typeof RUNS;

export interface CountyTask {
  analysis: CountyAnalysis;
  input: Omit<CountyInput, 'graph' | 'grid'>;
  graph?: HandedOver<Graph>;
  grid: HandedOver<PopulationGrid>;
  body: unknown;
}

export default function run(task: CountyTask): Promise<Outcome> {
  const input: CountyInput = { ...task.input, graph: keep(task.graph)!, grid: keep(task.grid)! };
  return outcomeOf(() => RUNS[task.analysis](input, task.body as never));
}
