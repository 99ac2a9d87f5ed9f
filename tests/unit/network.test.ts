import fs from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { components } from '../../core/network/components.js';
import { dijkstra } from '../../core/network/dijkstra.js';
import { buildGraph, csrOf, haversineM, NetworkError, ROAD_CLASSES, type Graph, type Mode } from '../../core/network/graph.js';
import { accessSources } from '../../core/network/access-leg.js';
import { buildSnapIndex, destinationTime, snap } from '../../core/network/snap.js';
import { createRng } from '../../seeds/demo/rng.js';
import { syntheticNetwork } from '../fixtures/network/synthetic.js';

const DIR = path.join(__dirname, '../fixtures/network');
const read = (f: string): any => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));

/** Node id by its coordinate, as the graph keys them. */
function nodeOf(g: Graph, [lon, lat]: number[]): number {
  for (let i = 0; i < g.nodeCount; i++) if (Math.abs(g.lon[i] - lon) < 1e-9 && Math.abs(g.lat[i] - lat) < 1e-9) return i;
  throw new Error(`no node at ${lon},${lat}`);
}

const TOLERANCE_S = 0.01;

function expectTimes(g: Graph, names: Record<string, number[]>, time: Float64Array, expected: Record<string, number>): void {
  const byNode = new Map(Object.entries(names).map(([n, c]) => [nodeOf(g, c), n]));
  for (let v = 0; v < g.nodeCount; v++) {
    const name = byNode.get(v)!;
    if (name in expected) expect(Math.abs(time[v] - expected[name]), `time to ${name}: ${time[v]}`).toBeLessThan(TOLERANCE_S);
    else expect(time[v], `${name} should be unreached`).toBe(Infinity);
  }
}

describe.each(['grid5x5', 'mixed'])('network fixture %s', (name) => {
  const roads = read(`in/${name}.geojson`) as FeatureCollection<Geometry>;
  const out = read(`out/${name}.json`);
  const g = buildGraph(roads);

  it('has one node per distinct vertex and one link per segment', () => {
    expect(g.nodeCount).toBe(Object.keys(out.nodes).length);
    expect(g.linkCount).toBe(out.links);
  });

  it.each(out.searches.map((s: any) => [`${s.mode} from ${s.from}${s.maxSeconds ? ` within ${s.maxSeconds} s` : ''}`, s]) as [string, any][])(
    'travel times %s',
    (_label, s: any) => {
      const r = dijkstra(csrOf(g, s.mode), [{ node: nodeOf(g, out.nodes[s.from]), cost: 0 }], s.maxSeconds ?? Infinity);
      expectTimes(g, out.nodes, r.time, s.times);
      expect(r.reached.length).toBe(Object.keys(s.times).length);
      const settled = [...r.reached].map((v) => r.time[v]);
      expect(settled).toEqual([...settled].sort((a, b) => a - b));
    },
  );

  it('finds the connected components', () => {
    for (const [mode, groups] of Object.entries(out.components) as [string, string[][]][]) {
      const c = components(g, mode === 'all' ? undefined : (mode as Mode));
      expect(c.count, mode).toBe(groups.length);
      expect([...c.sizes], mode).toEqual(groups.map((x) => x.length));
      groups.forEach((members, k) => {
        for (const m of members) expect(c.componentOf[nodeOf(g, out.nodes[m])], `${mode}: ${m}`).toBe(k);
      });
    }
  });

  it.each((out.snaps ?? []).map((s: any) => [`${s.mode} ${JSON.stringify(s.point)}${s.maxDistanceM ? ` ≤ ${s.maxDistanceM} m` : ''}`, s]) as [string, any][])(
    'snaps %s',
    (_label, s: any) => {
      const ix = buildSnapIndex(g);
      const r = snap(ix, s.point[0], s.point[1], { mode: s.mode, maxDistanceM: s.maxDistanceM });
      if (s.refused) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.message).toMatch(/No drivable road within 1000 m/);
        return;
      }
      if (!r.ok) throw new Error(r.message);
      expect([g.linkFrom[r.link], g.linkTo[r.link]]).toEqual(s.link.map((n: string) => nodeOf(g, out.nodes[n])));
      expect(r.t).toBeCloseTo(s.t, 4);
      expect(Math.abs(r.distanceM - s.distanceM)).toBeLessThan(0.5);
      const sources = Object.fromEntries(
        accessSources(g, r, s.mode).map((x) => [Object.keys(out.nodes).find((n) => nodeOf(g, out.nodes[n]) === x.node), x.cost]),
      );
      expect(Object.keys(sources).sort()).toEqual(Object.keys(s.sources).sort());
      for (const [n, cost] of Object.entries(s.sources)) expect(Math.abs(sources[n] - (cost as number)), n).toBeLessThan(TOLERANCE_S);
      if (s.times) {
        const res = dijkstra(csrOf(g, s.mode), accessSources(g, r, s.mode));
        expectTimes(g, out.nodes, res.time, s.times);
      }
    },
  );
});

describe('road attributes', () => {
  const line = (properties: Record<string, unknown>, coords = [[106.5, 29.5], [106.51, 29.5]]): any => ({
    type: 'Feature',
    properties,
    geometry: { type: 'LineString', coordinates: coords },
  });
  const metres = haversineM(106.5, 29.5, 106.51, 29.5);

  it('uses the class default speed when speed_kmh is missing, and the given one otherwise', () => {
    const g = buildGraph([line({ class: 'secondary' }), line({ class: 'secondary', speed_kmh: 45 }, [[106.5, 29.6], [106.51, 29.6]])]);
    expect(g.driveForward[0]).toBeCloseTo(metres / (ROAD_CLASSES.secondary.speedKmh! / 3.6), 6);
    expect(g.driveForward[1]).toBeCloseTo(haversineM(106.5, 29.6, 106.51, 29.6) / (45 / 3.6), 6);
  });

  it('treats a feature without class as unclassified, and reads every oneway spelling', () => {
    const g = buildGraph([line({}), line({ oneway: 'yes' }), line({ oneway: true }), line({ oneway: '-1' }), line({ oneway: 'no' })]);
    expect(g.driveForward[0]).toBeCloseTo(metres / (ROAD_CLASSES.unclassified.speedKmh! / 3.6), 6);
    expect([...g.driveBackward].map(Number.isFinite)).toEqual([true, false, false, true, true]);
    expect([...g.driveForward].map(Number.isFinite)).toEqual([true, true, true, false, true]);
    expect([...g.walk].every(Number.isFinite)).toBe(true);
  });

  it('keeps pedestrians off motorways and cars off footways', () => {
    const g = buildGraph([line({ class: 'motorway' }), line({ class: 'footway' })]);
    expect(g.walk[0]).toBe(Infinity);
    expect(Number.isFinite(g.driveForward[0])).toBe(true);
    expect(g.driveBackward[0]).toBe(Infinity); // motorways are one-way unless said otherwise
    expect(g.driveForward[1]).toBe(Infinity);
    expect(g.walk[1]).toBeCloseTo(metres / (5 / 3.6), 6);
  });

  it('joins lines only at shared vertices: a crossing without one is no junction', () => {
    const cross = buildGraph([line({}, [[0, -0.01], [0, 0.01]]), line({}, [[-0.01, 0], [0.01, 0]])]);
    expect(cross.nodeCount).toBe(4);
    expect(components(cross).count).toBe(2);
    const junction = buildGraph([line({}, [[0, -0.01], [0, 0], [0, 0.01]]), line({}, [[-0.01, 0], [0.00000001, 0.00000003], [0.01, 0]])]);
    expect(junction.nodeCount).toBe(5);
    expect(components(junction).count).toBe(1);
  });

  it('drops zero-length segments', () => {
    const g = buildGraph([line({}, [[106.5, 29.5], [106.5, 29.5], [106.51, 29.5]])]);
    expect(g.linkCount).toBe(1);
  });

  it.each([
    [line({ class: 'hovercraft' }), /feature 0: unknown class "hovercraft" and no "speed_kmh"/],
    [line({ speed_kmh: -3 }), /feature 0: "speed_kmh" must be a number above 0/],
    [line({ oneway: 'sometimes' }), /feature 0: "oneway" is "sometimes"/],
    [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } }, /feature 0: geometry must be a LineString or MultiLineString, got Point/],
    [line({}, [[500000, 3300000], [500100, 3300000]]), /feature 0: coordinate \[500000,3300000\] is not WGS84/],
    [line({}, [[106.5, 29.5]]), /feature 0: a line needs at least two positions/],
  ])('refuses bad input with the feature and the fix: %#', (feature, message) => {
    expect(() => buildGraph([feature])).toThrow(NetworkError);
    expect(() => buildGraph([feature])).toThrow(message);
  });

  it('accepts an unknown class when a speed is given', () => {
    expect(buildGraph([line({ class: 'ferry', speed_kmh: 15 })]).linkCount).toBe(1);
  });
});

/** Plain O(V·E) Bellman-Ford over the link arrays: the reference the heap search must match. */
function bellmanFord(g: Graph, mode: Mode, source: number): Float64Array {
  const d = new Float64Array(g.nodeCount).fill(Infinity);
  d[source] = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (let l = 0; l < g.linkCount; l++) {
      const a = g.linkFrom[l];
      const b = g.linkTo[l];
      const f = mode === 'walk' ? g.walk[l] : g.driveForward[l];
      const r = mode === 'walk' ? g.walk[l] : g.driveBackward[l];
      if (d[a] + f < d[b]) (d[b] = d[a] + f), (changed = true);
      if (d[b] + r < d[a]) (d[a] = d[b] + r), (changed = true);
    }
  }
  return d;
}

describe('dijkstra', () => {
  const g = buildGraph(syntheticNetwork({ side: 30, seed: 3 }));

  it.each(['drive', 'walk'] as Mode[])('matches Bellman-Ford on a random network (%s)', (mode) => {
    const rng = createRng(11);
    for (let k = 0; k < 5; k++) {
      const s = rng.int(0, g.nodeCount - 1);
      const ref = bellmanFord(g, mode, s);
      const got = dijkstra(csrOf(g, mode), [{ node: s, cost: 0 }]).time;
      for (let v = 0; v < g.nodeCount; v++) {
        if (ref[v] === Infinity) expect(got[v]).toBe(Infinity);
        else expect(got[v]).toBeCloseTo(ref[v], 6);
      }
    }
  });

  it('takes the nearest of several sources, counting their head start', () => {
    const a = 0;
    const b = g.nodeCount - 1;
    const ra = dijkstra(g.drive, [{ node: a, cost: 0 }]).time;
    const rb = dijkstra(g.drive, [{ node: b, cost: 0 }]).time;
    const both = dijkstra(g.drive, [{ node: a, cost: 0 }, { node: b, cost: 120 }], 900);
    for (let v = 0; v < g.nodeCount; v++) {
      const want = Math.min(ra[v], rb[v] + 120);
      if (want <= 900 - 1e-6) expect(both.time[v]).toBeCloseTo(want, 6);
      else if (want > 900 + 1e-6) expect(both.time[v]).toBe(Infinity);
    }
    expect(both.reached.length).toBe([...both.time].filter(Number.isFinite).length);
  });

  it('refuses a source that is not a node', () => {
    expect(() => dijkstra(g.drive, [{ node: g.nodeCount, cost: 0 }])).toThrow(/not in the graph/);
  });
});

describe('snapping', () => {
  const g = buildGraph(syntheticNetwork({ side: 40, seed: 5 }));
  const ix = buildSnapIndex(g, 100);

  it('finds the same nearest link as a brute-force scan', () => {
    const rng = createRng(2);
    for (let k = 0; k < 300; k++) {
      const lon = 106.2 + rng.between(-0.02, 0.14);
      const lat = 29.3 + rng.between(-0.02, 0.13);
      const kx = 111195 * Math.cos((lat * Math.PI) / 180);
      const r = snap(ix, lon, lat, { mode: 'drive', maxDistanceM: 5000 });
      let best = Infinity;
      for (let l = 0; l < g.linkCount; l++) {
        const [ax, ay] = [(g.lon[g.linkFrom[l]] - lon) * kx, (g.lat[g.linkFrom[l]] - lat) * 111195];
        const [bx, by] = [(g.lon[g.linkTo[l]] - lon) * kx, (g.lat[g.linkTo[l]] - lat) * 111195];
        const [dx, dy] = [bx - ax, by - ay];
        const t = Math.min(1, Math.max(0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
      if (best > 5000) expect(r.ok).toBe(false);
      else {
        if (!r.ok) throw new Error(r.message);
        expect(Math.abs(r.distanceM - best)).toBeLessThan(0.1 + 1e-4 * best);
      }
    }
  });

  it('reaches a destination on the far side of a one-way link through the right end', () => {
    const roads = read('in/mixed.geojson');
    const m = buildGraph(roads);
    const mix = buildSnapIndex(m);
    const from = snap(mix, -0.00089932, 0.0017986, { mode: 'drive' }); // 100 m west of E–A, 200 m north of A
    const to = snap(mix, 0.0044966, -0.00089932, { mode: 'drive' }); // 100 m south of the A→B midpoint
    if (!from.ok || !to.ok) throw new Error('snap failed');
    const time = dijkstra(m.drive, accessSources(m, from, 'drive')).time;
    // 100 m driven at E–A's 36 km/h (10 s) + 20 s along E–A to A, then 50 s along the one-way A→B
    // link, then the 100 m walk from the road to the destination (72 s).
    expect(destinationTime(m, to, 'drive', time)).toBeCloseTo(10 + 20 + 50 + 72, 2);
  });
});

describe('a 300k-link network', () => {
  it('builds, with every link in the CSR arrays of its modes', () => {
    const roads = syntheticNetwork({ side: 395 });
    const g = buildGraph(roads);
    expect(g.linkCount).toBeGreaterThanOrEqual(300_000);
    const arcs = (f: Float64Array, b: Float64Array): number => f.reduce((n, c, l) => n + +(c < Infinity) + +(b[l] < Infinity), 0);
    expect(g.drive.targets.length).toBe(arcs(g.driveForward, g.driveBackward));
    expect(g.walkCsr.targets.length).toBe(2 * g.linkCount);
    expect(g.drive.offsets[g.nodeCount]).toBe(g.drive.targets.length);
    const c = components(g, 'drive');
    expect(c.sizes[0]).toBeGreaterThan(0.95 * g.nodeCount);
  });
});
