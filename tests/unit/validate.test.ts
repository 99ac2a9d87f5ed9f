import { describe, expect, it } from 'vitest';
import { findLayer, validateProperties } from '../../core/catalogue/index.js';

describe('validateProperties', () => {
  const shelters = findLayer('shelters')!;
  const depots = findLayer('depots')!;

  it('accepts well-formed properties and missing fields', () => {
    expect(validateProperties(shelters, { name: '广场', class: 'emergency', capacity: 100, hazards: ['flood'], area_m2: 50.5 })).toEqual([]);
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
