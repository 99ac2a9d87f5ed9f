import { describe, expect, it } from 'vitest';
import { closeLinks } from '../../core/analysis/closest/closures.js';
import { ClosestError, closestFacilities } from '../../core/analysis/closest/index.js';
import { buildGraph } from '../../core/network/graph.js';
import { ALONG_BE, BLOCK_S, CLOSE_DE, INCIDENT, RING_E, ROADS, STATIONS, U_M } from '../fixtures/closest/grid.js';

const g = buildGraph(ROADS);
const opts = { maxMinutes: 120, tiers: [2, 4], limit: 10 };
const min = (blocks: number): number => Math.round(((blocks * BLOCK_S) / 60) * 10) / 10;

describe('closest facilities on the reversed drive graph', () => {
  it('ranks by drive time TO the incident: the one-way street E→F sends f round three blocks', () => {
    const r = closestFacilities(g, INCIDENT, STATIONS, ['fire_stations'], opts);
    const items = r.groups[0].items;
    expect(items.map((i) => i.id)).toEqual(['d', 'i', 'f']);
    expect(items.map((i) => i.etaMinutes)).toEqual([min(1), min(2), min(3)]); // 1.9, 3.7, 5.6
    expect(items.map((i) => i.distanceM)).toEqual([Math.round(U_M), Math.round(2 * U_M), Math.round(3 * U_M)]);
    expect(items.map((i) => i.tier)).toEqual([2, 4, null]);
    expect(r.seconds.get('f')).toBeCloseTo(3 * BLOCK_S, 3);
    // f's route leaves F by C or I, never along the one-way street against its direction.
    const f = items[2].route;
    expect(f[0]).toEqual([0.02, 0.01]);
    expect(f[f.length - 1]).toEqual([0.01, 0.01]);
    expect(f.slice(2, -1).some(([x, y]) => (x === 0.02 && y === 0) || (x === 0.02 && y === 0.02))).toBe(true);
    expect(r.snapDistanceM).toBe(0);
  });

  it('a point closure on D–E sends d round by A–B or G–H, and i comes first', () => {
    const c = closeLinks(g, [CLOSE_DE]);
    expect(c.reports).toEqual([{ index: 0, kind: 'Point', linksClosed: 1 }]);
    const r = closestFacilities(g, INCIDENT, STATIONS, ['fire_stations'], { ...opts, closed: c.closed });
    const items = r.groups[0].items;
    expect(items[0].id).toBe('i');
    expect(items[0].etaMinutes).toBe(min(2));
    expect(items.find((i) => i.id === 'd')!.etaMinutes).toBe(min(3));
    expect(items.find((i) => i.id === 'd')!.route.some(([x, y]) => x === 0.005 && y === 0.01)).toBe(false);
  });

  it('a line along B–E closes that street only; a point far from roads closes nothing', () => {
    const c = closeLinks(g, [ALONG_BE, { type: 'Point', coordinates: [0.005, 0.005] }]);
    expect(c.reports).toEqual([
      { index: 0, kind: 'LineString', linksClosed: 1 },
      { index: 1, kind: 'Point', linksClosed: 0 },
    ]);
    expect(c.messages).toEqual([{ code: 'closure_no_road', params: { index: 1 } }]);
    const be = ROADS.findIndex((f) => f.properties!.name === 'BE');
    expect([...c.closed].flatMap((v, l) => (v ? [l] : []))).toEqual([be]);
  });

  it('an area around the incident closes its four streets and cuts it off', () => {
    const c = closeLinks(g, [RING_E]);
    expect(c.reports[0].linksClosed).toBe(4);
    expect(() => closestFacilities(g, INCIDENT, STATIONS, ['fire_stations'], { ...opts, closed: c.closed })).toThrow(
      expect.objectContaining({ code: 'origin_disconnected' }),
    );
  });

  it('stops at maxMinutes and counts the rest as unreachable', () => {
    const r = closestFacilities(g, INCIDENT, STATIONS, ['fire_stations', 'depots'], { ...opts, maxMinutes: 3 });
    expect(r.groups[0].items.map((i) => i.id)).toEqual(['d']);
    expect(r.groups[0].unreachable).toBe(2);
    expect(r.groups[1]).toMatchObject({ key: 'depots', layer: 'depots', items: [], unreachable: 0 });
  });

  it('refuses an incident with no road within the snap distance, saying how far the nearest is', () => {
    try {
      closestFacilities(g, [0.01, 0.04], STATIONS, ['fire_stations'], opts);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ClosestError);
      expect((err as ClosestError).code).toBe('no_road_nearby');
      expect((err as ClosestError).params.nearestRoadM).toBe(Math.round(2 * U_M));
    }
  });
});

describe('closest facilities across a county border', () => {
  it('ranks a station of the neighbouring county first when it is nearer by road', () => {
    // The grid's west column (A, D, G) as county "west", the rest "east"; the incident E is in "east".
    const own = { ...STATIONS[2], properties: { county_code: 'east' } };
    const neighbour = { ...STATIONS[0], properties: { county_code: 'west' } };
    const r = closestFacilities(g, INCIDENT, [own, neighbour], ['fire_stations'], opts);
    expect(r.groups[0].items.map((i) => [i.id, i.properties.county_code, i.etaMinutes])).toEqual([
      ['d', 'west', min(1)],
      ['f', 'east', min(3)],
    ]);
  });
});

describe('one reversed search equals one forward search per facility', () => {
  it('on a random lattice with one-way streets, with and without closed links', async () => {
    const { syntheticNetwork } = await import('../fixtures/network/synthetic.js');
    const { dijkstra } = await import('../../core/network/dijkstra.js');
    const { createRng } = await import('../../seeds/demo/rng.js');
    const net = buildGraph(syntheticNetwork({ side: 30 }));
    const rng = createRng('closest:forward');
    const nodes = rng.sample(Array.from({ length: net.nodeCount }, (_, v) => v), 41);
    const [incident, ...at] = nodes;
    const facilities = at.map((v, i) => ({ id: `f${i}`, name: `f${i}`, lon: net.lon[v], lat: net.lat[v], group: 'depots' as const, layer: 'depots', properties: {} }));
    const closed = new Uint8Array(net.linkCount);
    for (let l = 0; l < net.linkCount; l++) if (rng.chance(0.05)) closed[l] = 1;
    for (const mask of [undefined, closed]) {
      const r = closestFacilities(net, [net.lon[incident], net.lat[incident]], facilities, ['depots'], { maxMinutes: 600, tiers: [30], limit: 100, closed: mask });
      at.forEach((v, i) => {
        const forward = dijkstra(net.drive, [{ node: v, cost: 0 }], Infinity, { closedLinks: mask }).time[incident];
        const ours = r.seconds.get(`f${i}`)!;
        if (forward === Infinity) expect(ours).toBe(Infinity);
        else expect(ours).toBeCloseTo(forward, 6);
      });
    }
  });
});
