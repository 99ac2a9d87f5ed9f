/**
 * The vertex edits of line and polygon editing (client/src/edit/shape.ts) on every GeoJSON type a
 * line or polygon layer stores, with fixtures in tests/fixtures/edit-shape/: rings stay closed,
 * a part never falls below its minimum, and the result is a geometry the catalogue accepts.
 */
import fs from 'node:fs';
import type { Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { findLayer } from '../../core/catalogue/index.js';
import { geometryProblem } from '../../core/catalogue/validate.js';
import { deleteVertex, fromShape, insertVertex, midpoints, moveVertex, toShape, type LonLat } from '../../client/src/edit/shape.js';

type Edit = { op: 'move'; part: number; index: number; to: LonLat } | { op: 'delete'; part: number; index: number } | { op: 'midpoint'; n: number };

interface Case {
  name: string;
  geometry: Geometry;
  edit: Edit;
  expected: Geometry;
}

const { cases } = JSON.parse(fs.readFileSync('tests/fixtures/edit-shape/edits.json', 'utf8')) as { cases: Case[] };

describe('shape edits', () => {
  it.each(cases)('$name', ({ geometry, edit, expected }) => {
    const shape = toShape(geometry)!;
    expect(fromShape(shape)).toEqual(geometry);
    let edited;
    if (edit.op === 'move') edited = moveVertex(shape, edit, edit.to);
    else if (edit.op === 'delete') edited = deleteVertex(shape, edit);
    else {
      const { ref, at } = midpoints(shape)[edit.n];
      edited = insertVertex(shape, ref, at);
    }
    const result = fromShape(edited);
    expect(result).toEqual(expected);
    const layer = findLayer(geometry.type.endsWith('Polygon') ? 'admin_units' : 'roads')!;
    expect(geometryProblem(layer, result)).toBeUndefined();
  });

  it('edits nothing but line and polygon geometries', () => {
    expect(toShape({ type: 'Point', coordinates: [1, 2] })).toBeUndefined();
    expect(toShape(null)).toBeUndefined();
  });
});
