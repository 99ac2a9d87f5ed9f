/**
 * The phone's shelter ranking on a hand-drawn network at the equator, where 0.001° is one block
 * of 111.195 m (Earth radius 6 371 008.8 m) both ways and walking at 5 km/h takes 0.72 s a metre.
 *
 *   (0,2)──S2──(1,2)──(2,2)──(3,2)     G ● just west of (0,2)      A ● just east of (3,2)
 *     │  ╲                     ↓ V3 one-way southward (drivers only: walkers go both ways)
 *   (0,1)  ╲ motorway M (3,0)→(0,2): no walking       C ● just east of (0,1)
 *     │ V0      ╲              ↓
 *   (0,0)──S1──(1,0)──(2,0)──(3,0)     B ● 0.1 block north of (1.5,0)  D ● 0.1 south of (2.5,0)
 *                                  ✕ origin 0.2 block south of (3,0)
 * Every shelter is 0.1 block (11.120 m) off its road; the origin is 0.2 block (22.239 m) off.
 */
import { describe, expect, it } from 'vitest';
import type { PackShelter, PublicPack } from '../../core/public/pack.js';
import { graphOfPack, NOT_DECLARED, rankShelters } from '../../core/public/nearest.js';

const B = 0.001;
const p = (x: number, y: number): [number, number] => [Math.round(x * B * 1e7) / 1e7, Math.round(y * B * 1e7) / 1e7];

const shelter = (id: string, at: [number, number], status: PackShelter['status'], hazards: string[], unsuitable: PackShelter['unsuitable'] = []): PackShelter => ({
  id,
  name: `避难场所${id}`,
  lon: at[0],
  lat: at[1],
  class: 'emergency',
  status,
  hazards,
  unsuitable,
  facilities: [],
  accessibility: [],
  demo: true,
});

const pack: PublicPack = {
  county: '000000',
  version: 'test',
  generatedAt: '2026-01-01T00:00:00Z',
  demo: true,
  roads: [
    { coords: [p(0, 0), p(1, 0), p(2, 0), p(3, 0)], class: 'residential', name: 'S1' },
    { coords: [p(0, 2), p(1, 2), p(2, 2), p(3, 2)], class: 'residential', name: 'S2' },
    { coords: [p(0, 0), p(0, 1), p(0, 2)], class: 'residential', name: 'V0' },
    { coords: [p(3, 2), p(3, 1), p(3, 0)], class: 'residential', name: 'V3', oneway: 'yes' },
    { coords: [p(3, 0), p(0, 2)], class: 'motorway', name: 'M' },
  ],
  shelters: [
    shelter('A', p(3.1, 2), 'open', ['earthquake']),
    shelter('B', p(1.5, 0.1), 'full', ['earthquake']),
    shelter('C', p(0.1, 1), 'closed', ['earthquake']),
    shelter('D', p(2.5, -0.1), 'open', ['flood']),
    shelter('E', p(1.5, 2.1), 'open', ['earthquake', 'flood'], [{ hazard: 'earthquake', reason: 'near_geohazard' }]),
    shelter('G', p(-0.1, 2), 'open', []),
  ],
  boundary: { type: 'Polygon', coordinates: [] },
  towns: [],
  places: [],
};

const graph = graphOfPack(pack);
const origin = p(3, -0.2);

describe('rankShelters', () => {
  const ranked = rankShelters(pack, graph, origin, 'earthquake');
  const byId = Object.fromEntries(ranked.map((r) => [r.shelter.id, r]));

  it('lists open suitable shelters first, then full, closed and unsuitable ones, each by walking time, none dropped', () => {
    expect(ranked.map((r) => [r.shelter.id, r.group])).toEqual([
      ['A', 'open'],
      ['G', 'open'],
      ['B', 'full'],
      ['C', 'closed'],
      ['D', 'unsuitable'],
      ['E', 'unsuitable'],
    ]);
    expect(byId.D.reason).toBe(NOT_DECLARED);
    expect(byId.E.reason).toBe('near_geohazard');
  });

  it('walks the network on foot: against the one-way street, never on the motorway', () => {
    // A: 0.2 + 2 blocks north up V3 against its direction + 0.1 = 2.3 blocks (driving would go round: 8).
    expect(byId.A.walkMetres).toBeCloseTo(255.749, 2);
    expect(byId.A.walkSeconds).toBeCloseTo(184.139, 2);
    // G: 0.2 + 5 blocks + 0.1; the motorway diagonal (3.6 blocks) would save 1.4 blocks.
    expect(byId.G.walkMetres).toBeCloseTo(589.334, 2);
    expect(byId.B.walkMetres).toBeCloseTo(200.151, 2); // 0.2 + 1.5 + 0.1
    expect(byId.C.walkMetres).toBeCloseTo(478.139, 2); // 0.2 + 3 + 1 + 0.1
    expect(byId.D.walkMetres).toBeCloseTo(88.956, 2); // 0.2 + 0.5 + 0.1: the nearest, yet last
    expect(byId.E.walkMetres).toBeCloseTo(422.541, 2); // 0.2 + 2 + 1.5 + 0.1
    for (const r of ranked) {
      expect(r.straightLine).toBe(false);
      expect(r.walkSeconds).toBeCloseTo(r.walkMetres * 0.72, 6);
    }
  });

  it('draws the route from the origin through the snap points and the junctions to the shelter', () => {
    expect(byId.A.route).toEqual([origin, p(3, 0), p(3, 1), p(3, 2), p(3.1, 2)]);
    expect(byId.B.route).toEqual([origin, p(3, 0), p(2, 0), p(1.5, 0), p(1.5, 0.1)]);
    expect(byId.C.route).toEqual([origin, p(3, 0), p(2, 0), p(1, 0), p(0, 0), p(0, 1), p(0.1, 1)]);
    // The route's length is the walk's length.
    const len = (line: [number, number][]) => line.slice(1).reduce((s, q, i) => s + Math.hypot(q[0] - line[i][0], q[1] - line[i][1]) * 111195.08023, 0);
    for (const r of ranked) expect(len(r.route)).toBeCloseTo(r.walkMetres, 1);
  });

  it('ranks by the chosen hazard', () => {
    const flood = rankShelters(pack, graph, origin, 'flood');
    expect(flood.map((r) => [r.shelter.id, r.group])).toEqual([
      ['D', 'open'],
      ['E', 'open'],
      ['G', 'open'],
      ['B', 'unsuitable'],
      ['A', 'unsuitable'],
      ['C', 'unsuitable'],
    ]);
  });

  it('keeps at most `limit` of each group, so a nearer open shelter never hides a closed one', () => {
    const top = rankShelters(pack, graph, origin, 'earthquake', { limit: 1 });
    expect(top.map((r) => r.shelter.id)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('falls back to a straight line, flagged, from an origin with no walkable road within the snap distance', () => {
    // 10 blocks east and north of (0,0): more than 1 km from every road.
    const far = rankShelters(pack, graph, p(10, 10), 'earthquake');
    const a = far.find((r) => r.shelter.id === 'A')!;
    expect(a.straightLine).toBe(true);
    expect(a.route).toEqual([p(10, 10), p(3.1, 2)]);
    expect(a.walkMetres).toBeCloseTo(1174.727, 2); // hypot(6.9, 8) blocks
    expect(far.every((r) => r.straightLine)).toBe(true);
  });
});
