/**
 * Bounded multi-source Dijkstra over one mode's CSR arrays, with an indexed binary heap in typed
 * arrays (decrease-key, so the heap never holds a node twice).
 */
import type { Csr } from './graph.js';

export interface Source {
  node: number;
  /** Seconds already spent before the node (e.g. the off-road leg and the part-link from a snap). */
  cost: number;
}

export interface SearchResult {
  /** Seconds to each node; Infinity where unreached or beyond the bound. */
  time: Float64Array;
  /** The reached nodes (time ≤ bound), in the order they were settled (non-decreasing time). */
  reached: Int32Array;
  /**
   * With `options.predecessors`: the node each node was reached from on its fastest path, -1 for a
   * source or an unreached node. Following it from a node back to a source gives the route.
   */
  pred?: Int32Array;
}

export interface SearchOptions {
  /** Links not to travel (1 = closed), indexed by link id; e.g. road closures. */
  closedLinks?: Uint8Array;
  /** Record the shortest-path tree, to draw routes. */
  predecessors?: boolean;
}

/** Travel time from the nearest source to every node with time ≤ maxCost (seconds). */
export function dijkstra(csr: Csr, sources: readonly Source[], maxCost = Infinity, options: SearchOptions = {}): SearchResult {
  const n = csr.offsets.length - 1;
  const { offsets, targets, costs, links } = csr;
  const closed = options.closedLinks;
  const pred = options.predecessors ? new Int32Array(n).fill(-1) : undefined;
  const time = new Float64Array(n).fill(Infinity);
  const heap = new Int32Array(n);
  const pos = new Int32Array(n).fill(-1); // -1 never queued, -2 settled, else index in heap
  const reached = new Int32Array(n);
  let size = 0;
  let settled = 0;

  const up = (i: number): void => {
    const v = heap[i];
    const t = time[v];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const u = heap[p];
      if (time[u] <= t) break;
      heap[i] = u;
      pos[u] = i;
      i = p;
    }
    heap[i] = v;
    pos[v] = i;
  };
  const down = (i: number): void => {
    const v = heap[i];
    const t = time[v];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && time[heap[c + 1]] < time[heap[c]]) c++;
      const u = heap[c];
      if (time[u] >= t) break;
      heap[i] = u;
      pos[u] = i;
      i = c;
    }
    heap[i] = v;
    pos[v] = i;
  };

  for (const s of sources) {
    if (!(s.node >= 0 && s.node < n)) throw new RangeError(`Source node ${s.node} is not in the graph (0…${n - 1}).`);
    if (!(s.cost >= 0) || s.cost > maxCost || s.cost >= time[s.node]) continue;
    time[s.node] = s.cost;
    if (pos[s.node] < 0) {
      heap[size] = s.node;
      pos[s.node] = size++;
    }
    up(pos[s.node]);
  }

  while (size > 0) {
    const u = heap[0];
    pos[u] = -2;
    reached[settled++] = u;
    const last = heap[--size];
    if (size > 0) {
      heap[0] = last;
      pos[last] = 0;
      down(0);
    }
    const tu = time[u];
    for (let k = offsets[u], end = offsets[u + 1]; k < end; k++) {
      const v = targets[k];
      const pv = pos[v];
      if (pv === -2 || (closed !== undefined && closed[links[k]] === 1)) continue;
      const t = tu + costs[k];
      if (t > maxCost || t >= time[v]) continue;
      time[v] = t;
      if (pred) pred[v] = u;
      if (pv === -1) {
        heap[size] = v;
        pos[v] = size;
        up(size++);
      } else {
        up(pv);
      }
    }
  }
  return { time, reached: reached.slice(0, settled), pred };
}
