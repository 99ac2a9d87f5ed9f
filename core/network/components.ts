/**
 * Connected components of the road graph, ignoring direction (weakly connected): a network that
 * falls apart into pieces usually means missing junction vertices or a clipped import, and an
 * origin on a small piece can reach only that piece.
 */
import { linkUsable, type Graph, type Mode } from './graph.js';

export interface Components {
  count: number;
  /** Component id of each node, 0..count-1, numbered by descending size (0 is the largest). */
  componentOf: Int32Array;
  /** Nodes per component. */
  sizes: Int32Array;
}

/**
 * Components over the links usable in `mode` (either direction), or over all links when no mode
 * is given. A node with no usable link is a component of its own.
 */
export function components(g: Graph, mode?: Mode): Components {
  const parent = new Int32Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let l = 0; l < g.linkCount; l++) {
    if (mode && !linkUsable(g, l, mode)) continue;
    const a = find(g.linkFrom[l]);
    const b = find(g.linkTo[l]);
    if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
  }
  const rootSize = new Int32Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) rootSize[find(i)]++;
  const roots: number[] = [];
  for (let i = 0; i < g.nodeCount; i++) if (rootSize[i] > 0) roots.push(i);
  roots.sort((a, b) => rootSize[b] - rootSize[a] || a - b);
  const idOfRoot = new Int32Array(g.nodeCount);
  const sizes = new Int32Array(roots.length);
  roots.forEach((r, k) => {
    idOfRoot[r] = k;
    sizes[k] = rootSize[r];
  });
  const componentOf = new Int32Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) componentOf[i] = idOfRoot[find(i)];
  return { count: roots.length, componentOf, sizes };
}
