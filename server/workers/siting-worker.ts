/**
 * A siting run in a worker thread (server/workers/pool.ts): the solver's seconds of CPU and its
 * memory stay off the thread that answers everyone else. Travel-time tables are kept per county
 * grid (`gridKey`, which changes when the network or the population does), so what-ifs on the same
 * county reuse them as they did on the main thread.
 */
import { runPlannerSiting, runWhatIf, TravelTimes, type Setting } from '../../core/analysis/planner-siting/index.js';
import type { HazardZone } from '../../core/analysis/shelter-capacity/suitability.js';
import type { CountyInput } from '../../core/analysis/slice.js';
import type { Graph } from '../../core/network/graph.js';
import type { PopulationGrid } from '../../core/population/grid.js';
import { outcomeOf, type Outcome } from './outcome.js';

export interface SitingTask {
  kind: 'siting' | 'siting-evaluate';
  input: CountyInput;
  body: unknown;
  /** Hazard zones that rule candidates out (core/analysis/planner-siting/hazards.ts). */
  zones: HazardZone[];
  gridKey: string;
}

const MAX_GRIDS = 4;
const tables = new Map<string, Map<string, TravelTimes>>();

function travelFor(gridKey: string) {
  return (graph: Graph | undefined, grid: PopulationGrid, s: Setting): TravelTimes => {
    let byMode = tables.get(gridKey);
    if (!byMode) {
      if (tables.size >= MAX_GRIDS) tables.delete(tables.keys().next().value!);
      tables.set(gridKey, (byMode = new Map()));
    }
    const key = `${s.mode}|${s.straightLineMode}`;
    let t = byMode.get(key);
    if (!t) byMode.set(key, (t = new TravelTimes(s.mode === 'straight-line' ? undefined : graph, grid, s.mode, s.straightLineMode, 32 * 2 ** 20)));
    return t;
  };
}

export default function run(task: SitingTask): Promise<Outcome> {
  const solve = task.kind === 'siting' ? runPlannerSiting : runWhatIf;
  return outcomeOf(() => solve(task.input, task.body as never, travelFor(task.gridKey), task.zones));
}
