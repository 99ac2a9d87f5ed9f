import fs from 'node:fs';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  checkCoordinates,
  fromGaussKruger,
  gaussKrugerOfEpsg,
  gcj02ToBd09,
  gcj02ToWgs84,
  parseCrs,
  toGaussKruger,
  wgs84ToGcj02,
  type Lonlat,
} from '../../core/geo/crs.js';

const truth = JSON.parse(fs.readFileSync('tests/fixtures/import/crs-truth.json', 'utf8'));

const metres = (a: Lonlat, b: Lonlat): number => distance(a, b, { units: 'meters' });

describe('GCJ-02 and BD-09', () => {
  it('reproduces the eviltransform vectors forward to 1e-9° and inverts them to 1 cm', () => {
    for (const [wLat, wLon, gLat, gLon] of truth.gcj02) {
      const g = wgs84ToGcj02([wLon, wLat]);
      expect(Math.abs(g[0] - gLon)).toBeLessThan(1e-9);
      expect(Math.abs(g[1] - gLat)).toBeLessThan(1e-9);
      expect(metres(gcj02ToWgs84([gLon, gLat]), [wLon, wLat])).toBeLessThan(0.01);
    }
  });

  it('round-trips every county shelter through GCJ-02 within 0.01 m, and the offset is 300–700 m', () => {
    for (const t of truth.shelters) {
      const p: Lonlat = [t.lon, t.lat];
      const g = wgs84ToGcj02(p);
      expect(metres(g, p)).toBeGreaterThan(300);
      expect(metres(g, p)).toBeLessThan(700);
      expect(metres(gcj02ToWgs84(g), p)).toBeLessThan(0.01);
    }
  });

  it('reproduces the coordtransform BD-09 vectors (forward exactly, their closed-form inverse within 2 m) and round-trips', () => {
    const [gIn, bOut] = truth.bd09.gcj02ToBd09;
    const b = gcj02ToBd09(gIn);
    expect(Math.abs(b[0] - bOut[0]) + Math.abs(b[1] - bOut[1])).toBeLessThan(1e-9);
    const [bIn, gOut] = truth.bd09.bd09ToGcj02;
    expect(metres(bd09ToGcj02(bIn), gOut)).toBeLessThan(2);
    expect(metres(bd09ToWgs84(bIn), gcj02ToWgs84(gOut))).toBeLessThan(2);
    const g: Lonlat = [106.58, 29.61];
    expect(metres(parseCrs('bd09')!.toWgs84(gcj02ToBd09(g)), gcj02ToWgs84(g))).toBeLessThan(0.01);
  });

  it('leaves points outside China unchanged', () => {
    expect(wgs84ToGcj02([-104.9903, 39.7392])).toEqual([-104.9903, 39.7392]);
  });
});

describe('CGCS2000 Gauss–Krüger', () => {
  it('maps the EPSG codes to zones (3° and 6°, with and without prefix)', () => {
    expect(gaussKrugerOfEpsg(4524)).toEqual({ lon0: 108, falseEasting: 36_500_000 });
    expect(gaussKrugerOfEpsg(4545)).toEqual({ lon0: 108, falseEasting: 500_000 });
    expect(gaussKrugerOfEpsg(4496)).toEqual({ lon0: 105, falseEasting: 18_500_000 });
    expect(gaussKrugerOfEpsg(4507)).toEqual({ lon0: 105, falseEasting: 500_000 });
    expect(gaussKrugerOfEpsg(4513)).toEqual({ lon0: 75, falseEasting: 25_500_000 });
    expect(gaussKrugerOfEpsg(4554)).toEqual({ lon0: 135, falseEasting: 500_000 });
    expect(gaussKrugerOfEpsg(4326)).toBeUndefined();
  });

  it('agrees with PostGIS ST_Transform within 1 mm both ways', () => {
    expect(truth.gaussKruger.length).toBe(30);
    for (const t of truth.gaussKruger) {
      const gk = gaussKrugerOfEpsg(t.srid)!;
      const [x, y] = toGaussKruger([t.lon, t.lat], gk);
      expect(Math.hypot(x - t.x, y - t.y), `EPSG:${t.srid}`).toBeLessThan(0.001);
      expect(metres(fromGaussKruger([t.x, t.y], gk), [t.lon, t.lat]), `EPSG:${t.srid}`).toBeLessThan(0.001);
    }
  });
});

describe('CRS options and coordinate checks', () => {
  it('parses the names the API accepts and refuses others', () => {
    expect(parseCrs('WGS84')?.name).toBe('wgs84');
    expect(parseCrs('EPSG:4490')?.name).toBe('cgcs2000');
    expect(parseCrs('gcj-02')?.name).toBe('gcj02');
    expect(parseCrs('EPSG:4545')?.projected).toBe(true);
    expect(parseCrs('EPSG:3857')).toBeUndefined();
    expect(parseCrs('mars')).toBeUndefined();
  });

  const area: [number, number, number, number] = [106.45, 29.55, 106.9, 29.68];
  const codes = (w: { code: string }[]): string[] => w.map((x) => x.code).sort();

  it('warns that WGS84 may really be GCJ-02/BD-09, and says nothing else for good points', () => {
    expect(codes(checkCoordinates([[106.58, 29.61]], parseCrs('wgs84')!, area))).toEqual(['offset_unknown']);
    expect(checkCoordinates([[106.58, 29.61]], parseCrs('gcj02')!, area)).toEqual([]);
  });

  it('detects swapped lat/lon, projected metres given as degrees, degrees given as metres, and points outside the area', () => {
    const gcj = parseCrs('gcj02')!;
    expect(codes(checkCoordinates([[29.61, 106.58]], gcj, area))).toEqual(['swapped_lat_lon']);
    expect(codes(checkCoordinates([[36_361_911, 3_277_287]], gcj, area))).toContain('projected_as_degrees');
    expect(codes(checkCoordinates([[106.58, 29.61]], parseCrs('EPSG:4524')!, area))).toContain('degrees_as_projected');
    const gk = parseCrs('EPSG:4524')!;
    expect(codes(checkCoordinates([[3_277_287, 36_361_911]], gk, area))).toEqual(['swapped_northing_first']);
    expect(checkCoordinates([[36_361_911, 3_277_287]], gk, area)).toEqual([]);
    expect(codes(checkCoordinates([[3_277_287, 361_911]], parseCrs('EPSG:4545')!, area))).toEqual(['swapped_northing_first']);
    const out = checkCoordinates([[106.58, 29.61], [109.88, 31.07]], gcj, area);
    expect(codes(out)).toEqual(['outside_area']);
    expect(out[0].params).toEqual({ count: 1, points: 2, bbox: area.map((v) => v.toFixed(3)).join(', ') });
  });
});
