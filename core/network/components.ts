/**
 * Connected components of the road graph, ignoring direction (weakly connected): a network that
 * falls apart into pieces usually means missing junction vertices or a clipped import, and an
 * origin on a small piece can reach only that piece.
 */
import type { Feature, MultiLineString } from 'geojson';
import { note, type Note } from '../note.js';
import { linkUsable, type Graph, type Mode } from './graph.js';
import { snap, snapIndexOf } from './snap.js';

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
  return unionFind(g, (l) => !mode || linkUsable(g, l, mode));
}

/**
 * Components over the links `use` accepts, counting only nodes on such a link (a county's roads
 * within a graph of several counties, say).
 */
export function componentsOf(g: Graph, use: (link: number) => boolean): Components {
  const on = new Uint8Array(g.nodeCount);
  for (let l = 0; l < g.linkCount; l++) {
    if (!use(l)) continue;
    on[g.linkFrom[l]] = 1;
    on[g.linkTo[l]] = 1;
  }
  const all = on.every((x) => x === 1);
  const c = unionFind(g, use);
  if (all) return c;
  // Drop the nodes no accepted link touches, renumbering the components by size as before.
  const sizes = new Int32Array(c.count);
  for (let i = 0; i < g.nodeCount; i++) if (on[i]) sizes[c.componentOf[i]]++;
  const order = [...sizes.keys()].filter((k) => sizes[k] > 0).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const renum = new Int32Array(c.count).fill(-1);
  order.forEach((k, j) => (renum[k] = j));
  const componentOf = new Int32Array(g.nodeCount).fill(-1);
  for (let i = 0; i < g.nodeCount; i++) if (on[i]) componentOf[i] = renum[c.componentOf[i]];
  return { count: order.length, componentOf, sizes: Int32Array.from(order.map((k) => sizes[k])) };
}

function unionFind(g: Graph, use: (link: number) => boolean): Components {
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
    if (!use(l)) continue;
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

/**
 * A piece is an island when it holds less than this share of the nodes: the 43-vertex fragment of
 * a 68,164-link county network, not a second county's network in the same store.
 */
export const ISLAND_SHARE = 0.01;

export interface ComponentSummary {
  /** Pieces the network falls into. */
  count: number;
  nodes: number;
  /** Share of the nodes in the largest piece, 0..1. */
  largestShare: number;
  /** Pieces below ISLAND_SHARE of the nodes, and their nodes. */
  islands: number;
  islandNodes: number;
}

export function summarize(c: Components): ComponentSummary {
  let nodes = 0;
  for (const s of c.sizes) nodes += s;
  let islands = 0;
  let islandNodes = 0;
  for (const s of c.sizes) {
    if (s < ISLAND_SHARE * nodes) {
      islands++;
      islandNodes += s;
    }
  }
  return { count: c.count, nodes, largestShare: nodes ? c.sizes[0] / nodes : 0, islands, islandNodes };
}

export const isIsland = (c: Components, component: number, nodes: number): boolean => component > 0 && c.sizes[component] < ISLAND_SHARE * nodes;

/** Every piece but the largest as a line feature (its links), largest first; at most `limit`. */
export function islandFeatures(g: Graph, c: Components, limit = 1000): Feature<MultiLineString, { component: number; nodes: number; share: number }>[] {
  const total = c.sizes.reduce((a, b) => a + b, 0);
  const n = Math.min(c.count, limit + 1);
  const lines: number[][][][] = Array.from({ length: n }, () => []);
  for (let l = 0; l < g.linkCount; l++) {
    const k = c.componentOf[g.linkFrom[l]];
    if (k <= 0 || k >= n || c.componentOf[g.linkTo[l]] !== k) continue;
    const a = g.linkFrom[l];
    const b = g.linkTo[l];
    lines[k].push([
      [g.lon[a], g.lat[a]],
      [g.lon[b], g.lat[b]],
    ]);
  }
  const out: Feature<MultiLineString, { component: number; nodes: number; share: number }>[] = [];
  for (let k = 1; k < n; k++) {
    if (lines[k].length === 0) continue;
    out.push({ type: 'Feature', geometry: { type: 'MultiLineString', coordinates: lines[k] }, properties: { component: k, nodes: c.sizes[k], share: c.sizes[k] / total } });
  }
  return out;
}

/** A place an analysis starts from or serves, and the node it reaches the road network at. */
export interface PlaceOnNetwork {
  /** An origin's index or a facility's id. */
  ref: string | number;
  kind: 'origin' | 'facility';
  node: number;
}

/**
 * Notes for places on an island: their reach ends at the island's edge, which reads as "almost
 * nothing is reachable" unless it is said (`network_island_origin` or `_facility`, with the piece's node count and the
 * network's).
 */
export function islandNotes(c: Components, places: PlaceOnNetwork[]): Note[] {
  const nodes = c.sizes.reduce((a, b) => a + b, 0);
  const out: Note[] = [];
  for (const p of places) {
    const k = c.componentOf[p.node];
    if (k >= 0 && isIsland(c, k, nodes)) out.push(note(`network_island_${p.kind}`, { ref: p.ref, nodes: c.sizes[k], networkNodes: nodes }));
  }
  return out;
}

/**
 * The places that reach the network (within the snap distance, in `mode`) with the node they reach
 * it at: the nearer end of the snapped link (both ends share the link's piece).
 */
export function placesOnNetwork(g: Graph, places: { ref: string | number; kind: PlaceOnNetwork['kind']; lon: number; lat: number }[], mode: Mode): PlaceOnNetwork[] {
  const ix = snapIndexOf(g);
  const out: PlaceOnNetwork[] = [];
  for (const p of places) {
    const s = snap(ix, p.lon, p.lat, { mode });
    if (s.ok) out.push({ ref: p.ref, kind: p.kind, node: s.t < 0.5 ? g.linkFrom[s.link] : g.linkTo[s.link] });
  }
  return out;
}
