import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessLeg, accessSources } from '../../core/network/access-leg.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildSnapIndex, snap, type Snap } from '../../core/network/snap.js';

// tests/fixtures/network/in/mixed.geojson: A–B–C one-way at 36 km/h (10 m/s) along the equator,
// A–F motorway one-way at its default 80 km/h, C–D–E–A two-way at 36 km/h, on foot 5 km/h.
const roads = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/network/in/mixed.geojson'), 'utf8'));
const g = buildGraph(roads);
const ix = buildSnapIndex(g);
const at = (lon: number, lat: number, mode: 'drive' | 'walk', maxDistanceM = 1000): Snap => {
  const s = snap(ix, lon, lat, { mode, maxDistanceM });
  if (!s.ok) throw new Error(s.message);
  return s;
};

describe('the access leg (one rule for every analysis)', () => {
  it('drives the leg at the speed of the one-way road it joins: 100 m at 36 km/h = 10 s', () => {
    const leg = accessLeg(g, at(0.0044966, 0.00089932, 'drive'), 'drive');
    expect(leg.distanceM).toBeCloseTo(100, 0);
    expect(leg.speedMs).toBeCloseTo(10, 6);
    expect(leg.seconds).toBeCloseTo(10, 1);
    expect(leg.offRoad).toBe(false);
  });

  it('walks the same leg for a person: 100 m at 5 km/h = 72 s', () => {
    const leg = accessLeg(g, at(0.0044966, 0.00089932, 'walk'), 'walk');
    expect(leg.seconds).toBeCloseTo(72, 1);
    expect(leg.speedMs).toBeCloseTo(5 / 3.6, 6);
  });

  it('takes a motorway default speed: 50 m at 80 km/h = 2.25 s, and the search sources add the half link (22.5 s)', () => {
    const s = at(-0.0044966, 0.00044966, 'drive');
    expect(accessLeg(g, s, 'drive').seconds).toBeCloseTo(2.25, 2);
    const sources = accessSources(g, s, 'drive');
    // One-way A→F: only F is reachable from the snap point.
    expect(sources).toHaveLength(1);
    expect(sources[0].cost).toBeCloseTo(2.25 + 22.5, 2);
  });

  it('flags a leg beyond 200 m (FIRE_OFF_ROAD_WARN_M) or a given distance', () => {
    const far = at(0.0134898, 0.0269796, 'drive', 3000);
    const leg = accessLeg(g, far, 'drive');
    // 2,000 m north of D–E at 36 km/h: 200 s.
    expect(leg.seconds).toBeCloseTo(200, 0);
    expect(leg.offRoad).toBe(true);
    const near = at(-0.0044966, 0.00044966, 'drive');
    expect(accessLeg(g, near, 'drive').offRoad).toBe(false);
    expect(accessLeg(g, near, 'drive', 40).offRoad).toBe(true);
  });
});
