import { describe, expect, it } from 'vitest';
import { findLayer, geometryProblem, validateProperties } from '../../core/catalogue/index.js';

describe('validateProperties', () => {
  const shelters = findLayer('shelters')!;
  const depots = findLayer('depots')!;

  it('accepts well-formed properties and missing fields', () => {
    expect(validateProperties(shelters, { name: '广场', class: 'emergency', capacity: 100, hazards: ['flood'], area_m2: 50.5 })).toEqual([]);
  });

  it('wants a required field in a whole feature, and lets no edit empty it', () => {
    const layer = findLayer('shelters')!;
    expect(layer.fields.find((f) => f.name === 'name')?.required).toBe(true);
    // A patch may leave the name out, but not blank it or null it.
    expect(validateProperties(layer, { capacity: 10 })).toEqual([]);
    expect(validateProperties(layer, { name: ' ' }).map((p) => [p.field, p.note.code])).toEqual([['name', 'field_required']]);
    expect(validateProperties(layer, { name: null }).map((p) => p.note.code)).toEqual(['field_required']);
    // A new feature or an imported row must carry it.
    expect(validateProperties(layer, { capacity: 10 }, { whole: true }).map((p) => [p.field, p.note.code])).toEqual([['name', 'field_required']]);
    expect(validateProperties(layer, { name: '体育场', capacity: 10 }, { whole: true })).toEqual([]);
    // Roads need no name.
    expect(validateProperties(findLayer('roads')!, { class: 'primary' }, { whole: true })).toEqual([]);
  });

  it('names each bad field and why', () => {
    const problems = validateProperties(shelters, { class: 'castle', capacity: 1.5, hazards: ['meteor'], colour: 'red', name: 3 });
    expect(problems.map((p) => p.field).sort()).toEqual(['capacity', 'class', 'colour', 'hazards', 'name']);
    expect(problems.find((p) => p.field === 'class')!.reason).toContain('emergency');
  });

  it('checks inventory items against the catalogue’s item kinds', () => {
    expect(validateProperties(depots, { inventory: [{ item: 'tent', quantity: 3 }] })).toEqual([]);
    expect(validateProperties(depots, { inventory: [{ item: 'rocket', quantity: 3 }] })[0].reason).toMatch(/unknown item "rocket"/);
    expect(validateProperties(depots, { inventory: [{ item: 'tent', quantity: -1 }] })[0].reason).toMatch(/whole number/);
  });
});

describe('geometryProblem', () => {
  const shelters = findLayer('shelters')!;
  const roads = findLayer('roads')!;
  const units = findLayer('admin_units')!;
  const ring = [[106.5, 29.5], [106.6, 29.5], [106.6, 29.6], [106.5, 29.5]];

  it('accepts the layer’s own kind, multi-parts for lines and areas', () => {
    expect(geometryProblem(shelters, { type: 'Point', coordinates: [106.5, 29.6] })).toBeUndefined();
    expect(geometryProblem(roads, { type: 'MultiLineString', coordinates: [[[106.5, 29.6], [106.6, 29.6]]] })).toBeUndefined();
    expect(geometryProblem(units, { type: 'MultiPolygon', coordinates: [[ring]] })).toBeUndefined();
  });

  it('says which kind the layer wants', () => {
    expect(geometryProblem(shelters, { type: 'Polygon', coordinates: [ring] })).toBe('Polygon in a Point layer; expected Point');
    expect(geometryProblem(units, null)).toMatch(/expected a GeoJSON geometry \{"type": "Polygon"/);
  });

  it('finds malformed and out-of-range coordinates', () => {
    expect(geometryProblem(shelters, { type: 'Point', coordinates: [106.5] })).toMatch(/\[106.5\] is not a position/);
    expect(geometryProblem(shelters, { type: 'Point', coordinates: ['106.5', 29.6] })).toMatch(/not a position/);
    expect(geometryProblem(shelters, { type: 'Point', coordinates: [583000, 3272000] })).toMatch(/outside WGS84/);
    expect(geometryProblem(roads, { type: 'LineString', coordinates: [[106.5, 29.6]] })).toMatch(/at least 2 positions per line, got 1/);
    expect(geometryProblem(units, { type: 'Polygon', coordinates: [ring.slice(0, 3)] })).toMatch(/at least 4 positions per ring/);
    expect(geometryProblem(units, { type: 'Polygon', coordinates: ring })).toBe('coordinates of a Polygon must be nested like [[[lon, lat], …]]');
    expect(geometryProblem(units, { type: 'MultiPolygon', coordinates: [] })).toMatch(/empty part/);
  });
});
