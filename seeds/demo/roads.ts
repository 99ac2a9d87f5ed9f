/**
 * Demo road network for the five areas, generated reproducibly (seeded per county) and marked
 * `source: 'demo…'`: NOT real roads. Users bring their own network; nothing downstream may assume
 * this one.
 *
 * Per county: jittered points (1.2 km apart, 500 m in urban 街道 towns, plus every town centre)
 * inside the county boundary, their Delaunay triangulation (turf.tin) without the edges that leave
 * the boundary or run longer than 3.5 km, then
 * - arterials: a minimum spanning tree over the town centres plus the shortest quarter of the
 *   remaining nearest-neighbour pairs, each routed along the mesh (shortest path); `primary` when
 *   it touches the county seat's town, `secondary` otherwise;
 * - local roads: a spanning tree of the mesh (so every point is connected) plus a random share of
 *   the other mesh edges; `residential` in urban towns, `tertiary` elsewhere; a few urban ones are
 *   one-way (never a spanning-tree edge, so every point can still be left and reached).
 * Speeds are the class defaults of core/network/graph.ts, written out on each road.
 */
import { booleanPointInPolygon, tin } from '@turf/turf';
import type { Feature, LineString, MultiPolygon, Point, Position } from 'geojson';
import { demoSource } from '../../core/catalogue/provenance.js';
import { dijkstra } from '../../core/network/dijkstra.js';
import { buildGraph, EARTH_RADIUS_M, ROAD_CLASSES } from '../../core/network/graph.js';
import type { DemoFeature, Geodata, Town } from './places.js';
import { createRng, type Rng } from './rng.js';

export const ROAD_SOURCE = demoSource('road_network');

const RURAL_SPACING_M = 1200;
const URBAN_SPACING_M = 500;
const MAX_EDGE_M = 3500;
const MIN_GAP_M = 200;
const LOCAL_SHARE = { urban: 0.7, rural: 0.5 };
const URBAN_ONEWAY_SHARE = 0.05;
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

const isUrban = (t: Town): boolean => t.name.endsWith('街道');
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

interface Mesh {
  pts: Position[];
  /** Town of each point (for urban/rural), or undefined. */
  town: (Town | undefined)[];
  edges: Array<[number, number, number]>; // a, b, metres
}

function jitteredGrid(bbox: number[], spacingM: number, lat0: number, rng: Rng, keep: (p: Position) => boolean): Position[] {
  const dLat = spacingM / M_PER_DEG;
  const dLon = dLat / Math.cos((lat0 * Math.PI) / 180);
  const out: Position[] = [];
  for (let y = bbox[1] + dLat / 2; y < bbox[3]; y += dLat) {
    for (let x = bbox[0] + dLon / 2; x < bbox[2]; x += dLon) {
      const p = [round6(x + rng.between(-0.35, 0.35) * dLon), round6(y + rng.between(-0.35, 0.35) * dLat)];
      if (keep(p)) out.push(p);
    }
  }
  return out;
}

function buildMesh(boundary: MultiPolygon, towns: Town[], centres: Position[], rng: Rng): Mesh {
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of boundary.coordinates) for (const [x, y] of poly[0]) (bbox[0] = Math.min(bbox[0], x)), (bbox[1] = Math.min(bbox[1], y)), (bbox[2] = Math.max(bbox[2], x)), (bbox[3] = Math.max(bbox[3], y));
  const lat0 = (bbox[1] + bbox[3]) / 2;
  const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
  const dist = (a: Position, b: Position): number => Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * M_PER_DEG);
  const inside = (p: Position): boolean => booleanPointInPolygon(p, boundary);
  const townOf = (p: Position): Town | undefined => towns.find((t) => booleanPointInPolygon(p, t.geometry));

  // Keep points at least MIN_GAP_M apart (town centres first), so the mesh has no slivers.
  const taken = new Set<string>();
  const cellKey = (p: Position, dx = 0, dy = 0): string => `${Math.floor((p[0] * kx) / MIN_GAP_M) + dx},${Math.floor((p[1] * M_PER_DEG) / MIN_GAP_M) + dy}`;
  const pts: Position[] = [];
  const add = (p: Position): void => {
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) if (taken.has(cellKey(p, dx, dy))) return;
    taken.add(cellKey(p));
    pts.push(p);
  };
  centres.forEach(add);
  for (const t of towns.filter(isUrban)) for (const p of jitteredGrid(t.bbox, URBAN_SPACING_M, lat0, rng, (q) => booleanPointInPolygon(q, t.geometry) && inside(q))) add(p);
  for (const p of jitteredGrid(bbox, RURAL_SPACING_M, lat0, rng, inside)) add(p);

  const index = new Map(pts.map((p, i) => [`${p[0]},${p[1]}`, i]));
  const seen = new Set<number>();
  const edges: Mesh['edges'] = [];
  for (const tri of tin({ type: 'FeatureCollection', features: pts.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } }) as Feature<Point>) }).features) {
    const ids = tri.geometry.coordinates[0].slice(0, 3).map((p) => index.get(`${p[0]},${p[1]}`)!);
    for (const [a, b] of [[ids[0], ids[1]], [ids[1], ids[2]], [ids[2], ids[0]]]) {
      const [i, j] = a < b ? [a, b] : [b, a];
      if (seen.has(i * pts.length + j)) continue;
      seen.add(i * pts.length + j);
      const m = dist(pts[i], pts[j]);
      const along = (f: number): Position => [pts[i][0] + f * (pts[j][0] - pts[i][0]), pts[i][1] + f * (pts[j][1] - pts[i][1])];
      if (m <= MAX_EDGE_M && [0.25, 0.5, 0.75].every((f) => inside(along(f)))) edges.push([i, j, m]);
    }
  }
  return { pts, town: pts.map(townOf), edges };
}

/** Kruskal: indexes of the edges of a minimum spanning forest. */
function spanningForest(n: number, edges: Array<[number, number, number]>): Set<number> {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  const tree = new Set<number>();
  [...edges.keys()].sort((a, b) => edges[a][2] - edges[b][2] || a - b).forEach((k) => {
    const a = find(edges[k][0]);
    const b = find(edges[k][1]);
    if (a !== b) (parent[a] = b), tree.add(k);
  });
  return tree;
}

/** Demo roads state their speed and direction, so the map shows what the routing assumes. */
const attributes = (cls: string, oneway = false) => ({ class: cls, speed_kmh: ROAD_CLASSES[cls].speedKmh, oneway: oneway ? 'yes' : 'no' });

const line = (id: string, coordinates: Position[], properties: Record<string, unknown>): DemoFeature => ({
  type: 'Feature',
  id,
  geometry: { type: 'LineString', coordinates } as LineString,
  properties: { ...properties, source: ROAD_SOURCE },
});

export function generateRoads({ counties, towns }: Geodata): DemoFeature[] {
  const out: DemoFeature[] = [];
  for (const county of counties) {
    const rng = createRng(`roads:${county.code}`);
    const own = towns.filter((t) => t.countyCode === county.code);
    const centreTowns = own.filter((t) => booleanPointInPolygon(t.labelPoint, county.geometry));
    const mesh = buildMesh(county.geometry, own, centreTowns.map((t) => t.labelPoint), rng);
    const { pts, edges } = mesh;
    const seatTown = own.find((t) => booleanPointInPolygon(county.seat, t.geometry));

    // Routing over the mesh by length (walk costs are proportional to metres).
    const meshGraph = buildGraph(edges.map(([a, b]) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [pts[a], pts[b]] } })));
    const nodeOf = new Map<string, number>();
    for (let v = 0; v < meshGraph.nodeCount; v++) nodeOf.set(`${round6(meshGraph.lon[v])},${round6(meshGraph.lat[v])}`, v);
    // Mesh edge k is mesh-graph link k (one two-point feature each, none dropped).
    const route = (from: Position, to: Position): { start: number; links: number[] } | undefined => {
      const s = nodeOf.get(`${from[0]},${from[1]}`);
      let v = nodeOf.get(`${to[0]},${to[1]}`);
      if (s === undefined || v === undefined) return undefined;
      const { time } = dijkstra(meshGraph.walkCsr, [{ node: s, cost: 0 }]);
      if (time[v] === Infinity) return undefined;
      const links: number[] = [];
      const { offsets, targets, costs, links: arcLinks } = meshGraph.walkCsr;
      while (v !== s) {
        let k: number = offsets[v];
        while (time[targets[k]] + costs[k] !== time[v]) k++; // the arc the search arrived by
        links.push(meshGraph.linkFeature[arcLinks[k]]);
        v = targets[k] as number;
      }
      return { start: s, links: links.reverse() };
    };

    // Arterials: MST over the town centres plus the shortest quarter of other near pairs.
    const centres = centreTowns.map((t) => t.labelPoint);
    const kx = M_PER_DEG * Math.cos((county.seat[1] * Math.PI) / 180);
    const pairs: Array<[number, number, number]> = [];
    centres.forEach((a, i) => {
      const near = centres
        .map((b, j) => [j, Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * M_PER_DEG)] as const)
        .filter(([j]) => j !== i)
        .sort((x, y) => x[1] - y[1])
        .slice(0, 3);
      for (const [j, m] of near) if (i < j || !near.some(([k]) => k === i)) pairs.push([Math.min(i, j), Math.max(i, j), m]);
    });
    const unique = [...new Map(pairs.map((p) => [`${p[0]},${p[1]}`, p])).values()];
    const tree = spanningForest(centres.length, unique);
    const extra = [...unique.keys()].filter((k) => !tree.has(k)).sort((a, b) => unique[a][2] - unique[b][2]);
    const chosen = [...tree, ...extra.slice(0, Math.ceil(extra.length / 4))];

    const arterialClass = new Map<number, string>();
    const routes: Array<{ start: number; links: number[]; cls: string; name: string }> = [];
    for (const k of chosen) {
      const [i, j] = unique[k];
      const found = route(centres[i], centres[j]);
      if (!found) continue;
      const cls = centreTowns[i] === seatTown || centreTowns[j] === seatTown ? 'primary' : 'secondary';
      routes.push({ ...found, cls, name: `${centreTowns[i].short}—${centreTowns[j].short}公路` });
      for (const l of found.links) if (arterialClass.get(l) !== 'primary') arterialClass.set(l, cls);
    }
    routes.sort((a, b) => (a.cls === b.cls ? 0 : a.cls === 'primary' ? -1 : 1));

    let n = 0;
    const id = (): string => `roads-${county.code}-${String(++n).padStart(5, '0')}`;
    const emitted = new Set<number>();
    for (const r of routes) {
      // One LineString per stretch of the route not already drawn by an earlier route.
      let run: Position[] = [];
      let at = r.start;
      const flush = (): void => {
        if (run.length > 1) out.push(line(id(), run, { name: r.name, ...attributes(r.cls), county_code: county.code }));
        run = [];
      };
      for (const l of r.links) {
        const next = meshGraph.linkFrom[l] === at ? meshGraph.linkTo[l] : meshGraph.linkFrom[l];
        if (emitted.has(l) || arterialClass.get(l) !== r.cls) flush();
        else {
          if (run.length === 0) run.push([meshGraph.lon[at], meshGraph.lat[at]]);
          run.push([meshGraph.lon[next], meshGraph.lat[next]]);
          emitted.add(l);
        }
        at = next;
      }
      flush();
    }

    const local = spanningForest(pts.length, edges);
    edges.forEach(([a, b], k) => {
      if (arterialClass.has(k)) return;
      const urban = mesh.town[a] && isUrban(mesh.town[a]!) && mesh.town[b] && isUrban(mesh.town[b]!);
      if (!local.has(k) && !rng.chance(urban ? LOCAL_SHARE.urban : LOCAL_SHARE.rural)) return;
      const oneway = urban && !local.has(k) && rng.chance(URBAN_ONEWAY_SHARE);
      out.push(line(id(), [pts[a], pts[b]], { ...attributes(urban ? 'residential' : 'tertiary', oneway), county_code: county.code }));
    });
  }
  return out;
}
