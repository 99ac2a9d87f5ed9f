/**
 * Connectivity rules (core/network/graph.ts) and the network's pieces (core/network/components.ts)
 * on hand-drawn fixtures: tests/fixtures/roads/overpass.geojson (two links through one mid-line
 * vertex) and osm-bridge.geojson (OSM ways with layer/bridge/tunnel/oneway/maxspeed).
 */
import fs from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import type { FeatureCollection, LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import { isochroneRequest, isochrones } from '../../core/analysis/isochrone/index.js';
import { components, componentsOf, islandFeatures, islandNotes, placesOnNetwork, summarize } from '../../core/network/components.js';
import { dijkstra } from '../../core/network/dijkstra.js';
import { buildGraph, haversineM, NetworkError, osmLevel, parseMaxspeed, type Graph } from '../../core/network/graph.js';

const read = (name: string): FeatureCollection<LineString> => JSON.parse(fs.readFileSync(`tests/fixtures/roads/${name}`, 'utf8'));
const overpass = read('overpass.geojson');
const osm = read('osm-bridge.geojson');

const nodeAt = (g: Graph, lon: number, lat: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < g.nodeCount; i++) if (Math.abs(g.lon[i] - lon) < 1e-9 && Math.abs(g.lat[i] - lat) < 1e-9) out.push(i);
  return out;
};

describe('the overpass pair', () => {
  const A = overpass.features.slice(0, 2);

  it('vertices joins A and B at their shared mid vertex; endpoints keeps two nodes there and two pieces', () => {
    const v = buildGraph(A, { connectivity: 'vertices' });
    expect(v.nodeCount).toBe(5);
    expect(components(v).count).toBe(1);
    const e = buildGraph(A, { connectivity: 'endpoints' });
    expect(e.nodeCount).toBe(6);
    expect(nodeAt(e, 106.51, 29.5)).toHaveLength(2);
    const c = components(e);
    expect(c.count).toBe(2);
    expect([...c.sizes]).toEqual([3, 3]);
    // The default for a stored layer without a setting is today's rule.
    expect(buildGraph(A).nodeCount).toBe(5);
  });

  it('the overpass does not shortcut: B north end is 2.08 km away under vertices, 20.66 km (the way round) under endpoints', () => {
    const start = (g: Graph) => nodeAt(g, 106.5, 29.5)[0];
    const northEnd = (g: Graph) => nodeAt(g, 106.51, 29.51)[0];
    const metres = (g: Graph) => {
      const r = dijkstra({ ...g.drive, costs: Float64Array.from(g.drive.links, (l) => g.linkLengthM[l]) }, [{ node: start(g), cost: 0 }]);
      return r.time[northEnd(g)];
    };
    const dx = haversineM(106.5, 29.5, 106.51, 29.5);
    const dy = haversineM(106.51, 29.5, 106.51, 29.51);
    expect(metres(buildGraph(overpass.features, { connectivity: 'vertices' }))).toBeCloseTo(dx + dy, 3);
    const round =
      2 * dx + haversineM(106.52, 29.5, 106.56, 29.5) + haversineM(106.56, 29.5, 106.56, 29.55) + haversineM(106.56, 29.55, 106.51, 29.55) + haversineM(106.51, 29.55, 106.51, 29.51);
    expect(metres(buildGraph(overpass.features, { connectivity: 'endpoints' }))).toBeCloseTo(round, 3);
    expect(round).toBeGreaterThan(20_600);
  });

  it('a 10-minute isochrone from A west end covers B north end only when the overpass is a junction', () => {
    const req = isochroneRequest.parse({ origins: [[106.5, 29.5]], minutes: [10], mode: 'drive' });
    const point = [106.51, 29.508];
    const covered = (rule: 'vertices' | 'endpoints') =>
      isochrones(buildGraph(overpass.features, { connectivity: rule }), undefined, req).features.some((f) => booleanPointInPolygon(point, f));
    expect(covered('vertices')).toBe(true);
    expect(covered('endpoints')).toBe(false);
  });
});

describe('OSM rules', () => {
  it('reads maxspeed and levels as OSM writes them', () => {
    expect(parseMaxspeed('60')).toBe(60);
    expect(parseMaxspeed('40 mph')).toBeCloseTo(64.37376, 5);
    expect(parseMaxspeed('none')).toBeUndefined();
    expect(osmLevel({})).toBe(0);
    expect(osmLevel({ bridge: 'yes' })).toBe(5); // implied layer 1, bridge
    expect(osmLevel({ bridge: 'yes', layer: '1' })).toBe(5);
    expect(osmLevel({ layer: '1' })).toBe(4); // same layer, not a bridge: kept apart from the bridge
    expect(osmLevel({ tunnel: 'yes', layer: '-1' })).toBe(-2);
    expect(osmLevel({ bridge: 'no' })).toBe(0);
  });

  it('joins ground ways at shared nodes, not the bridge or the tunnel mid-way; the bridge meets its approach at its end', () => {
    const g = buildGraph(osm.features, { connectivity: 'osm' });
    const c = components(g);
    // {G, X, O, P}: 5 + 2 + 1 + 1 nodes; {W, R}: 3 + 1; {T}: 3.
    expect([...c.sizes]).toEqual([9, 4, 3]);
    expect(g.nodeCount).toBe(16);
    expect(nodeAt(g, 106.525, 29.565)).toHaveLength(2);
    expect(nodeAt(g, 106.5275, 29.565)).toHaveLength(2);
    expect(nodeAt(g, 106.5225, 29.565)).toHaveLength(1);
    // The same ways joined only at ends: X no longer meets G.
    expect([...components(buildGraph(osm.features, { connectivity: 'endpoints' })).sizes]).toEqual([7, 4, 3, 3]);
    expect(components(buildGraph(osm.features.map((f) => ({ ...f, properties: { class: f.properties!.highway } })), { connectivity: 'vertices' })).count).toBe(1);
  });

  it('takes speed from maxspeed, class from highway, direction from oneway', () => {
    const g = buildGraph(osm.features, { connectivity: 'osm' });
    const link = (feature: number) => [...g.linkFeature].indexOf(feature);
    const g0 = link(0);
    expect(g.driveForward[g0]).toBeCloseTo(g.linkLengthM[g0] / (60 / 3.6), 9);
    const w = link(1); // secondary, no maxspeed: 30 km/h
    expect(g.driveForward[w]).toBeCloseTo(g.linkLengthM[w] / (30 / 3.6), 9);
    const o = link(3);
    expect(g.driveForward[o]).toBeLessThan(Infinity);
    expect(g.driveBackward[o]).toBe(Infinity);
    const p = link(4);
    expect(g.driveForward[p]).toBe(Infinity);
    expect(g.driveBackward[p]).toBeLessThan(Infinity);
    // Without the osm rule, raw OSM tags are not the catalogue's fields.
    expect(() => buildGraph([{ ...osm.features[0], properties: { class: 'construction' } }], { connectivity: 'endpoints' })).toThrow(NetworkError);
    expect(buildGraph([{ ...osm.features[0], properties: { highway: 'construction', oneway: 'reversible' } }], { connectivity: 'osm' }).driveForward[0]).toBe(Infinity);
  });
});

describe('pieces and islands', () => {
  // A 20 × 20 grid of residential streets (400 nodes) and one separate 2-node link: an island.
  const grid: FeatureCollection<LineString> = { type: 'FeatureCollection', features: [] };
  for (let i = 0; i < 20; i++) {
    grid.features.push({ type: 'Feature', properties: { class: 'residential' }, geometry: { type: 'LineString', coordinates: Array.from({ length: 20 }, (_, j) => [106 + j * 0.001, 29 + i * 0.001]) } });
    grid.features.push({ type: 'Feature', properties: { class: 'residential' }, geometry: { type: 'LineString', coordinates: Array.from({ length: 20 }, (_, j) => [106 + i * 0.001, 29 + j * 0.001]) } });
  }
  grid.features.push({ type: 'Feature', properties: { class: 'residential' }, geometry: { type: 'LineString', coordinates: [[106.05, 29.05], [106.051, 29.05]] } });
  const g = buildGraph(grid, { connectivity: 'vertices' });
  const c = components(g);

  it('summarises: 2 pieces, the largest 400 of 402 nodes, one island of 2', () => {
    expect(summarize(c)).toEqual({ count: 2, nodes: 402, largestShare: 400 / 402, islands: 1, islandNodes: 2 });
    const islands = islandFeatures(g, c);
    expect(islands).toHaveLength(1);
    expect(islands[0].properties).toEqual({ component: 1, nodes: 2, share: 2 / 402 });
    expect(islands[0].geometry.coordinates).toEqual([[[106.05, 29.05], [106.051, 29.05]]]);
  });

  it('warns for an origin on the island, not for one on the grid', () => {
    const places = placesOnNetwork(
      g,
      [
        { ref: 0, kind: 'origin', lon: 106.0505, lat: 29.0501 },
        { ref: 1, kind: 'origin', lon: 106.0045, lat: 29.0031 },
      ],
      'drive',
    );
    expect(islandNotes(c, places)).toEqual([{ code: 'network_island_origin', params: { ref: 0, nodes: 2, networkNodes: 402 } }]);
  });

  it('componentsOf counts only the accepted links', () => {
    const island = componentsOf(g, (l) => g.linkFeature[l] === 40);
    expect(island.count).toBe(1);
    expect([...island.sizes]).toEqual([2]);
  });
});
