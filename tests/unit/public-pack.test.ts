/**
 * The public pack's binary codec on a hand-made pack: a county square 0.01° across at (106.5, 29.5)
 * split into two towns (one a MultiPolygon), three streets, two shelters and their places.
 */
import { describe, expect, it } from 'vitest';
import { decodePack, encodePack, PackError, quantise, type PublicPack } from '../../core/public/pack.js';

const pack: PublicPack = {
  county: '500105',
  version: 'abc123',
  generatedAt: '2026-12-01T08:00:00.000Z',
  demo: true,
  shelters: [
    {
      id: 'shelters-500105-001',
      name: '观音桥广场应急避难场所',
      address: '观音桥街道建新北路',
      town: '观音桥街道',
      lon: 106.5012345,
      lat: 29.5054321,
      class: 'central',
      capacity: 20000,
      areaM2: 45000.5,
      status: 'open',
      hazards: ['earthquake', 'flood'],
      unsuitable: [],
      facilities: ['water', 'power', 'toilet'],
      accessibility: ['wheelchair', 'pets_allowed'],
      demo: true,
    },
    {
      id: 'shelters-500105-002',
      name: '石马河小学操场',
      lon: 106.508,
      lat: 29.501,
      class: 'emergency',
      status: 'full',
      hazards: ['earthquake', 'geohazard'],
      unsuitable: [{ hazard: 'geohazard', reason: 'near_geohazard' }, { hazard: 'earthquake', reason: 'near_geohazard' }],
      facilities: [],
      accessibility: [],
      demo: true,
    },
  ],
  roads: [
    { coords: [[106.5, 29.5], [106.5001, 29.5]], class: 'primary', name: '建新北路', speedKmh: 40 },
    { coords: [[106.5001, 29.5], [106.5001, 29.505], [106.505, 29.509]], class: 'residential', name: '建新北路', oneway: 'yes', speedKmh: 12.5 },
    { coords: [[106.505, 29.509], [106.51, 29.51]], class: 'footway' },
  ],
  boundary: { type: 'Polygon', coordinates: [[[106.5, 29.5], [106.51, 29.5], [106.51, 29.51], [106.5, 29.51], [106.5, 29.5]]] },
  towns: [
    { code: '500105001', name: '观音桥街道', geometry: { type: 'Polygon', coordinates: [[[106.5, 29.5], [106.505, 29.5], [106.505, 29.51], [106.5, 29.51], [106.5, 29.5]]] } },
    {
      code: '500105002',
      name: '石马河街道',
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [[[106.505, 29.5], [106.51, 29.5], [106.51, 29.505], [106.505, 29.5]]],
          [[[106.505, 29.505], [106.51, 29.505], [106.51, 29.51], [106.505, 29.505]]],
        ],
      },
    },
  ],
  places: [
    { name: '观音桥街道', kind: 'town', lon: 106.5025, lat: 29.505 },
    { name: '建新北路', kind: 'street', lon: 106.5001, lat: 29.5025 },
    { name: '观音桥广场应急避难场所', kind: 'shelter', lon: 106.5012345, lat: 29.5054321 },
  ],
};

describe('public pack codec', () => {
  it('round-trips a pack exactly, optional members included and absent ones left out', () => {
    const bytes = encodePack(pack);
    const back = decodePack(bytes);
    expect(back).toStrictEqual(pack);
    expect(decodePack(encodePack(back))).toStrictEqual(pack);
  });

  it('stores each string once: the street name of two roads and a place, the shelter name of a shelter and a place', () => {
    const bytes = encodePack(pack);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('建新北路').length - 1).toBe(2); // the road/place name, and inside the address 观音桥街道建新北路
    expect(text.split('观音桥广场应急避难场所').length - 1).toBe(1);
    expect(text.split('near_geohazard').length - 1).toBe(1);
  });

  it('codes coordinates as zigzag varint deltas at 1e-7°: the body of a one-road pack, byte by byte', () => {
    const one: PublicPack = { ...pack, shelters: [], roads: [{ coords: [[106.5, 29.5], [106.5001, 29.5]], class: 'primary' }], boundary: { type: 'Polygon', coordinates: [] }, towns: [], places: [] };
    const bytes = encodePack(one);
    const headerLength = new DataView(bytes.buffer).getUint32(5, true);
    // x = 1 065 000 000 → zigzag 2 130 000 000 = 0 + 113·128 + 84·128² + 119·128³ + 7·128⁴ → 80 F1 D4 F7 07;
    // y = 295 000 000 → zigzag 590 000 000 → 80 DF AA 99 02; then Δx = 1000 → zigzag 2000 = 80 + 15·128 → D0 0F; Δy = 0 → 00.
    expect([...bytes.subarray(9 + headerLength)]).toEqual([
      0x00, // no shelters
      0x01, 0x00, 0x00, 0x00, 0x00, // one road: class = string 0 ("primary"), no name, no oneway, no speed
      0x02, 0x80, 0xf1, 0xd4, 0xf7, 0x07, 0x80, 0xdf, 0xaa, 0x99, 0x02, 0xd0, 0x0f, 0x00, // two vertices
      0x00, 0x00, // boundary: a Polygon with no rings
      0x00, 0x00, // no towns, no places
    ]);
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(9, 9 + headerLength))).strings).toEqual(['primary']);
  });

  it('quantises to the routing graph’s node precision (1e-7°)', () => {
    const raw: PublicPack = { ...pack, shelters: [{ ...pack.shelters[0], lon: 106.50123456789, lat: 29.5 }] };
    const back = decodePack(encodePack(raw));
    expect(back.shelters[0].lon).toBe(106.5012346);
    expect(back.shelters[0].lon).toBe(quantise(106.50123456789));
  });

  it('refuses what is not a pack, another format, and truncated bytes', () => {
    const bytes = encodePack(pack);
    expect(() => decodePack(new TextEncoder().encode('{"county":"500105"}'))).toThrow(PackError);
    const other = bytes.slice();
    other[4] = 9;
    expect(() => decodePack(other)).toThrow(/format 9/);
    expect(() => decodePack(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
    expect(() => decodePack(new Uint8Array([...bytes, 0]))).toThrow(/after its last section/);
  });

  it('reports its size per road vertex: 4 bytes for a street of 50 m steps, before compression', () => {
    // 1001 vertices: Δx = 0.0005° (5000 units → zigzag 10000 → 2 bytes), Δy = ±0.0003° (zigzag 6000 / 5999 → 2 bytes).
    const coords = Array.from({ length: 1001 }, (_, i): [number, number] => [quantise(106.5 + i * 0.0005), i % 2 ? 29.5003 : 29.5]);
    const street: PublicPack = { ...pack, shelters: [], roads: [{ coords, class: 'residential', name: '建新北路' }], boundary: { type: 'Polygon', coordinates: [] }, towns: [], places: [] };
    const bytes = encodePack(street);
    const body = bytes.length - 9 - new DataView(bytes.buffer).getUint32(5, true);
    // no shelters (1) · road count (1), class (1), name tag + reference (2), oneway and speed tags (2), vertex count 1001
    // (2), the first point from (0, 0) (10), 1000 deltas of 4 · empty boundary (2), no towns, no places (2).
    expect(body).toBe(1 + 1 + 1 + 2 + 2 + 2 + 10 + 1000 * 4 + 2 + 2);
    console.log(`hand-made street: 4 bytes per road vertex (delta), ${(body / 1001).toFixed(2)} with the rest of the body; the hand-made pack ${encodePack(pack).length} bytes`);
  });
});
