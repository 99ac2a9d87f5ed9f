/**
 * The feature form's values: catalogue-typed properties turned into what inputs hold (text), back
 * into typed properties with the problems a user must fix, and the fields a user actually changed
 * (a PATCH sends only those, so a save never rewrites a field someone else changed meanwhile).
 */
import type { FieldDef } from '../../../core/catalogue/types';

export interface ItemDraft {
  item: string;
  quantity: string;
}

/** string / integer / number / enum: the input's text ('' = no value); enum[]: the ticked values; items: rows. */
export type DraftValue = string | string[] | ItemDraft[];
export type Draft = Record<string, DraftValue>;

export type Props = Record<string, unknown>;

/** Why a value cannot be saved; the form shows the message of the same name. */
export type FormProblem = 'required' | 'notNumber' | 'notInteger' | 'itemMissing' | 'quantityInvalid' | 'itemTwice';

function draftOf(field: FieldDef, value: unknown): DraftValue {
  switch (field.type) {
    case 'enum[]':
      return Array.isArray(value) ? value.map(String) : value == null || value === '' ? [] : [String(value)];
    case 'items':
      return Array.isArray(value)
        ? value.map((r: { item?: unknown; quantity?: unknown }) => ({ item: String(r?.item ?? ''), quantity: r?.quantity == null ? '' : String(r.quantity) }))
        : [];
    default:
      return value == null ? '' : String(value);
  }
}

/** The form's starting values for these fields from a feature's properties. */
export function toDraft(fields: FieldDef[], props: Props): Draft {
  return Object.fromEntries(fields.map((f) => [f.name, draftOf(f, props[f.name])]));
}

/** A number as typed, accepting a Chinese full-width comma as thousands separator and full-width digits. */
function parseNumber(text: string): number {
  const ascii = text.replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[,，\s]/g, '');
  return ascii === '' ? NaN : Number(ascii);
}

/** One field's typed value, or the problem with it. null = no value. */
export function parseField(field: FieldDef, value: DraftValue | undefined): { value: unknown } | { problem: FormProblem } {
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  // An empty input means "no value", which a required field (the catalogue's `required`) may not have.
  const blank = empty || (typeof value === 'string' && value.trim() === '');
  if (blank && field.required) return { problem: 'required' };
  if (empty) return { value: field.type === 'enum[]' || field.type === 'items' ? [] : null };
  switch (field.type) {
    case 'integer':
    case 'number': {
      const n = parseNumber(value as string);
      if (!Number.isFinite(n)) return { problem: 'notNumber' };
      if (field.type === 'integer' && !Number.isInteger(n)) return { problem: 'notInteger' };
      return { value: n };
    }
    case 'enum[]':
      return { value: [...(value as string[])] };
    case 'items': {
      const rows = value as ItemDraft[];
      const seen = new Set<string>();
      const out: { item: string; quantity: number }[] = [];
      for (const r of rows) {
        if (!r.item) return { problem: 'itemMissing' };
        if (seen.has(r.item)) return { problem: 'itemTwice' };
        seen.add(r.item);
        const q = parseNumber(r.quantity);
        if (!Number.isInteger(q) || q < 0) return { problem: 'quantityInvalid' };
        out.push({ item: r.item, quantity: q });
      }
      return { value: out };
    }
    default: {
      const text = (value as string).trim();
      return { value: text === '' ? null : text };
    }
  }
}

/** Every field's typed value, and the problems by field name (empty when the form can be saved). */
export function fromDraft(fields: FieldDef[], draft: Draft): { properties: Props; problems: Record<string, FormProblem> } {
  const properties: Props = {};
  const problems: Record<string, FormProblem> = {};
  for (const field of fields) {
    const r = parseField(field, draft[field.name]);
    if ('problem' in r) problems[field.name] = r.problem;
    else properties[field.name] = r.value;
  }
  return { properties, problems };
}

const normal = (v: unknown): string => JSON.stringify(v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? null : v);

/** True when two property values mean the same (absent, null, '' and [] are all "no value"). */
export const sameValue = (a: unknown, b: unknown): boolean => normal(a) === normal(b);

/** The properties whose value differs from the original: what a PATCH sends. */
export function changedProperties(original: Props, edited: Props): Props {
  return Object.fromEntries(Object.entries(edited).filter(([k, v]) => !sameValue(original[k], v)));
}
