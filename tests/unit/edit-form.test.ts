/**
 * The client's editing logic without a browser: form text ↔ typed properties (fixtures in
 * tests/fixtures/edit-form/), which fields a save sends, how the API's errors map onto fields,
 * the audit log's before/after diff, and the export's file name from Content-Disposition.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findLayer } from '../../core/catalogue/index.js';
import { auditDiff } from '../../client/src/api/audit.js';
import { conflictOf, fieldErrorsOf } from '../../client/src/api/edit.js';
import { ApiAnswerError, attachmentName } from '../../client/src/api/http.js';
import { changedProperties, fromDraft, toDraft, type Draft } from '../../client/src/edit/formValues.js';

interface Case {
  name: string;
  layer: string;
  draft: Draft;
  properties: Record<string, unknown>;
  problems: Record<string, string>;
}

const { cases } = JSON.parse(fs.readFileSync('tests/fixtures/edit-form/parse.json', 'utf8')) as { cases: Case[] };

describe('form values', () => {
  it.each(cases)('parses $name', ({ layer, draft, properties, problems }) => {
    const fields = findLayer(layer)!.fields.filter((f) => f.name in draft);
    const parsed = fromDraft(fields, draft);
    expect(parsed.problems).toEqual(problems);
    for (const [k, v] of Object.entries(properties)) expect(parsed.properties[k]).toEqual(v);
  });

  it('turns a depot back into the same properties through the form', () => {
    const fields = findLayer('depots')!.fields;
    const props = { name: '江北区救灾物资储备库', level: 'county', inventory: [{ item: 'tent', quantity: 300 }], supply_persons: 5000, status: 'in_service' };
    const { properties, problems } = fromDraft(fields, toDraft(fields, props));
    expect(problems).toEqual({});
    expect(changedProperties(props, properties)).toEqual({});
  });

  it('sends only the fields the user changed; cleared means null', () => {
    const before = { name: 'A', capacity: 100, hazards: ['flood'], phone: '023' };
    const after = { name: 'A', capacity: 120, hazards: ['flood'], phone: null, address: null, facilities: [] };
    expect(changedProperties(before, after)).toEqual({ capacity: 120, phone: null });
  });
});

describe('API answers', () => {
  it('maps a 400 naming properties.<field> onto that field', () => {
    const err = new ApiAnswerError(400, 'bad_parameter', 'Invalid properties: "capacity" expected a whole number', 'properties.capacity', {});
    expect(fieldErrorsOf(err)).toEqual({ capacity: err.message });
    expect(fieldErrorsOf(new ApiAnswerError(409, 'version_conflict', 'x', 'version', {}))).toEqual({});
  });

  it('takes the current feature from a 409 version conflict only', () => {
    const current = { type: 'Feature', id: 's1', version: 4, geometry: null, properties: {} };
    expect(conflictOf(new ApiAnswerError(409, 'version_conflict', 'stale', 'version', { current }))).toEqual(current);
    expect(conflictOf(new ApiAnswerError(404, 'not_found', 'gone', undefined, {}))).toBeUndefined();
  });

  it('reads the UTF-8 file name of an attachment before the ASCII one', () => {
    const name = '应急避难场所-20260301.csv';
    expect(attachmentName(`attachment; filename="shelters-20260301.csv"; filename*=UTF-8''${encodeURIComponent(name)}`)).toBe(name);
    expect(attachmentName('attachment; filename="shelters.kml"')).toBe('shelters.kml');
    expect(attachmentName(null)).toBeUndefined();
  });
});

describe('audit diff', () => {
  const feature = (props: Record<string, unknown>, coordinates: number[], version: number) => ({
    type: 'Feature',
    id: 's1',
    version,
    geometry: { type: 'Point', coordinates },
    properties: props,
  });

  it('lists the changed properties, a move and the version of an update', () => {
    const rows = auditDiff({ before: feature({ name: 'A', capacity: 100 }, [106.5, 29.5], 2), after: feature({ name: 'A', capacity: 150 }, [106.5, 29.6], 3) });
    expect(rows).toEqual([
      { key: 'capacity', before: 100, after: 150 },
      { key: 'geometry', before: { type: 'Point', coordinates: [106.5, 29.5] }, after: { type: 'Point', coordinates: [106.5, 29.6] } },
      { key: 'version', before: 2, after: 3 },
    ]);
  });

  it('lists everything a create added and a delete removed', () => {
    expect(auditDiff({ before: null, after: feature({ name: 'B' }, [1, 2], 1) }).map((r) => r.key)).toEqual(['name', 'geometry', 'version']);
    expect(auditDiff({ before: feature({ name: 'B' }, [1, 2], 5), after: null }).every((r) => r.after === undefined)).toBe(true);
  });
});
