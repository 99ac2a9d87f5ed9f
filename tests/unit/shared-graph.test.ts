/**
 * The road graph handed to the worker pool in shared memory (server/workers/shared.ts): the copy
 * holds the same numbers in SharedArrayBuffers, is made once per graph, and an isochrone computed
 * in the worker from it equals the one computed on the main thread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isochrones } from '../../core/analysis/isochrone/index.js';
import { buildGraph } from '../../core/network/graph.js';
import { inWorker, workerModule } from '../../server/workers/pool.js';
import { closeWorkers } from '../../server/workers/pool.js';
import type { IsochroneOutcome, IsochroneTask } from '../../server/workers/isochrone-worker.js';
import { shared, sharedKey } from '../../server/workers/shared.js';
import { syntheticNetwork } from '../fixtures/network/synthetic.js';

const graph = buildGraph(syntheticNetwork({ side: 12 }));
const body = { origins: [[106.21, 29.31]] as [number, number][], minutes: [3, 6], mode: 'drive' as const };

afterAll(() => closeWorkers());

describe('graphs in shared memory for the worker pool', () => {
  it('copies every typed array into a SharedArrayBuffer once, with the same values', () => {
    const copy = shared(graph);
    expect(shared(graph)).toBe(copy);
    expect(sharedKey(graph)).toBe(sharedKey(graph));
    expect(copy.lon.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(copy.drive.costs.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(copy.drive.costs)).toEqual(Array.from(graph.drive.costs));
    expect(copy.nodeCount).toBe(graph.nodeCount);
    expect(copy.walkSpeedMs).toBe(graph.walkSpeedMs);
  });

  it('answers an isochrone in the worker exactly as on the main thread, and a bad request with its parameter', async () => {
    const task: IsochroneTask = { graph: { key: sharedKey(graph), value: shared(graph) }, body: body as IsochroneTask['body'] };
    const file = workerModule('isochrone-worker');
    const outcome = await inWorker<IsochroneOutcome>(file, task, 60_000, 'isochrone');
    expect(outcome).toEqual({ answer: JSON.parse(JSON.stringify(isochrones(graph, undefined, body as IsochroneTask['body']))) });
    expect('answer' in outcome && outcome.answer.features.map((f) => f.properties.minutes)).toEqual([3, 6]);
    const again = await inWorker<IsochroneOutcome>(file, task, 60_000, 'isochrone');
    expect(again).toEqual(outcome);
    const bad = await inWorker<IsochroneOutcome>(file, { ...task, body: { ...task.body, minutes: [] } }, 60_000, 'isochrone');
    expect(bad).toEqual({ error: { parameter: 'minutes', message: expect.stringMatching(/thresholds/) } });
  });
});
