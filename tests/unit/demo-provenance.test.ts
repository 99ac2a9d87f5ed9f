/**
 * Demo provenance in the reader's language: every generated record's `source` (and a town's
 * `population_source`) is a demo Note the client renders in zh-CN and English; real sources (the
 * census quote, the boundary package) stay plain text; isDemo still tells demo records apart.
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../client/src/i18n';
import { noteText } from '../../client/src/i18n/notes';
import { demoSource, findLayer, isDemo, sourceNote } from '../../core/catalogue/index.js';
import { generateDemo } from '../../seeds/demo/index.js';
import { loadGeodata } from '../../seeds/demo/places.js';

const demo = generateDemo(loadGeodata());
const ZH = createI18n('zh');
const EN = createI18n('en');

describe('demo provenance', () => {
  it('round-trips a code and its params through the source string', () => {
    const s = demoSource('count_from_plan', { file: '巫山.md', quote: '新建 2 个 "避难场所"' });
    expect(s.startsWith('demo:count_from_plan {')).toBe(true);
    expect(isDemo({ source: s })).toBe(true);
    expect(sourceNote(s)).toEqual({ code: 'demo_source_count_from_plan', params: { file: '巫山.md', quote: '新建 2 个 "避难场所"' } });
    expect(sourceNote(demoSource('road_network'))).toEqual({ code: 'demo_source_road_network' });
    expect(sourceNote('第七次全国人口普查（2020）')).toBeUndefined();
    expect(sourceNote('demo: free text')).toBeUndefined();
  });

  it('renders every demo source of every layer in Chinese and English, with no English in the Chinese', () => {
    const seen = new Set<string>();
    for (const [layer, features] of Object.entries(demo)) {
      const fields = findLayer(layer)!.fields.filter((f) => f.provenance);
      expect(fields.map((f) => f.name), layer).toContain('source');
      for (const f of features) {
        for (const field of fields) {
          const value = f.properties[field.name];
          if (value === undefined || !String(value).startsWith('demo')) continue;
          const n = sourceNote(value);
          expect(n, `${layer} ${f.id} ${field.name}: ${String(value)}`).toBeDefined();
          const zh = noteText(n!, ZH);
          const en = noteText(n!, EN);
          expect(zh.startsWith('演示数据：'), zh).toBe(true);
          expect(en.startsWith('Demo: '), en).toBe(true);
          expect(zh).not.toMatch(/\{\w+\}|⟦/);
          // The Chinese sentence itself (its params are plan quotes and file names) has no English
          // words beyond the method's name.
          const template = ZH.t(`note.${n!.code}` as never).replace(/\{\w+\}|Delaunay/g, '');
          expect(template).not.toMatch(/[A-Za-z]{3,}/);
          seen.add(n!.code);
        }
      }
    }
    expect([...seen].sort()).toEqual([
      'demo_source_count_from_plan',
      'demo_source_flood_bands',
      'demo_source_generated',
      'demo_source_geohazard_buffer',
      'demo_source_road_network',
      'demo_source_town_population',
      'demo_source_town_voronoi',
    ]);
  });

  it('keeps the real sources as written', () => {
    const county = demo.admin_units.find((f) => f.properties.level === 'county')!;
    expect(sourceNote(county.properties.population_source)).toBeUndefined();
    expect(isDemo(county.properties)).toBe(false);
    const town = demo.admin_units.find((f) => f.properties.level === 'town')!;
    expect(isDemo(town.properties)).toBe(true);
  });
});
