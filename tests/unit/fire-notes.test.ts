/** Every Note the fire analysis sends reads as a whole sentence in zh-CN and English, its numbers filled in. */
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../client/src/i18n/index.js';
import { noteText } from '../../client/src/i18n/notes.js';
import { fireCoverage, type FireStationSite } from '../../core/analysis/fire-coverage/index.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { STREETS, TOWNS, at } from '../fixtures/analysis/two-towns.js';

const site = (id: string, x: number, y: number, type = 'class1'): FireStationSite => {
  const [lon, lat] = at(x, y);
  return { id, name: `${id}站`, type, status: 'in_service', lon, lat };
};

describe('the fire answer in the reader’s language', () => {
  // An off-road station, one with no road at all, and a town with no micro station: every warning.
  const r = fireCoverage(buildGraph(STREETS), buildPopulationGrid(TOWNS, { cellSizeM: 500 }), TOWNS, [
    site('远', -1000, 1600),
    site('外', 20_000, 0),
    site('微', -750, 250, 'micro'),
  ]);
  const notes = [...r.basis, ...r.warnings];

  it('sends every kind of note', () => {
    expect(notes.map((n) => n.code).sort()).toEqual(
      ['fire_basis_access', 'fire_basis_micro', 'fire_basis_rural', 'fire_basis_urban', 'fire_basis_area', 'fire_micro_towns_without', 'fire_station_no_road', 'fire_station_off_road'].sort(),
    );
  });

  it.each(['zh', 'en'] as const)('renders each in %s with its parameters', (lang) => {
    const i18n = createI18n(lang);
    const texts = notes.map((n) => noteText(n, i18n));
    for (const text of texts) expect(text).not.toMatch(/⟦|\{/);
    const offRoad = texts[notes.findIndex((n) => n.code === 'fire_station_off_road')];
    expect(offRoad).toContain('远站');
    expect(offRoad).toContain('850');
    expect(texts[notes.findIndex((n) => n.code === 'fire_micro_towns_without')]).toContain('乙镇');
    expect(texts[0]).toContain('GB 51080-2015');
    if (lang === 'zh') expect(texts.join('')).not.toMatch(/\b(the|within|station|road)\b/);
  });
});
