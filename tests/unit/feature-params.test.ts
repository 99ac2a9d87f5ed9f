import { describe, expect, it } from 'vitest';
import { findLayer } from '../../core/catalogue/index.js';
import { ApiError } from '../../server/errors.js';
import { DEFAULT_LIMIT, parseFeatureParams } from '../../server/routes/feature-params.js';

const shelters = findLayer('shelters')!;

describe('feature query parameters', () => {
  it('defaults to the first page with no filters', () => {
    const q = parseFeatureParams(shelters, 'public', {});
    expect(q).toMatchObject({ layer: 'shelters', limit: DEFAULT_LIMIT, offset: 0, filters: [] });
    expect(q.searchFields).toEqual(['name', 'address', 'town']);
  });

  it('parses bbox, paging, search and comma-separated filter values', () => {
    const q = parseFeatureParams(shelters, 'public', { bbox: '106.4, 29.5,106.7,29.7', limit: '20', offset: '40', q: ' 公园 ', class: 'emergency,central' });
    expect(q.bbox).toEqual([106.4, 29.5, 106.7, 29.7]);
    expect([q.limit, q.offset, q.q]).toEqual([20, 40, '公园']);
    expect(q.filters?.map((f) => [f.field.name, f.values])).toEqual([['class', ['emergency', 'central']]]);
  });

  it('does not let the public filter on internal fields, which would leak them', () => {
    expect(() => parseFeatureParams(shelters, 'public', { phone: '023' })).toThrow(ApiError);
    const err = (() => {
      try {
        parseFeatureParams(shelters, 'public', { class: 'castle' });
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(err?.status).toBe(400);
    expect(err?.parameter).toBe('class');
    expect(err?.message).toContain('emergency');
  });
});
