/**
 * Source columns → catalogue fields, and source values → typed catalogue values: the catalogue's
 * field aliases (Chinese header words), 千分位 and "万", unit hints (亩, 万人, 公顷), and enum values from their Chinese labels.
 */
import { matchColumn, optionFor, type FieldDef, type LayerDef } from '../../core/catalogue/index.js';
import { note, type Note } from '../../core/note.js';
import { headerUnit } from './read.js';

export interface ColumnMap {
  /** Source column → field name. */
  fields: Record<string, string>;
  /** Source column → the item it counts, for columns of an `items` field (a census table's 救灾帐篷 column). */
  items: Record<string, string>;
  /** Columns no field matched; their values are not imported. */
  unmapped: string[];
}

export function mapColumns(layer: LayerDef, columns: string[]): ColumnMap {
  const map: ColumnMap = { fields: {}, items: {}, unmapped: [] };
  extendColumns(layer, map, columns);
  return map;
}

/** Adds columns not seen before to `map` (GeoJSON property names turn up feature by feature). */
export function extendColumns(layer: LayerDef, map: ColumnMap, columns: string[]): void {
  const taken = new Set(Object.entries(map.fields).map(([col, field]) => (map.items[col] ? `${field}.${map.items[col]}` : field)));
  for (const col of columns) {
    if (col in map.fields || map.unmapped.includes(col)) continue;
    const target = matchColumn(layer, col);
    const key = target && (target.item ? `${target.field}.${target.item}` : target.field);
    if (target && key && !taken.has(key)) {
      map.fields[col] = target.field;
      if (target.item) map.items[col] = target.item;
      taken.add(key);
    } else map.unmapped.push(col);
  }
}

/** Unit words → factor to the field's unit (m² for areas, persons for counts). */
const UNITS: Record<string, number> = {
  亩: 10000 / 15, // 1 亩 = 10 000/15 m² (市制, 666.67 m²)
  公顷: 10000, ha: 10000, hm2: 10000, 'hm²': 10000,
  平方米: 1, m2: 1, 'm²': 1, '㎡': 1, 平米: 1,
  万人: 10000, 人: 1, 万: 10000,
};

/** "3,500" "1.2万" "12亩" "1.5 万人" → number in the field's unit; undefined when not a number. */
export function parseQuantity(raw: string, headerHint?: string): number | undefined {
  const s = raw.trim().replace(/[,，\s]/g, '');
  const m = /^([-+]?\d*\.?\d+(?:e[-+]?\d+)?)(.*)$/i.exec(s);
  if (!m) return undefined;
  const unit = m[2] || headerHint?.replace(/\s+/g, '') || '';
  const factor = unit === '' ? 1 : UNITS[unit] ?? UNITS[unit.toLowerCase()];
  if (factor === undefined) return undefined;
  return Number(m[1]) * factor;
}

const enumValue = (field: FieldDef, raw: string): string | undefined => optionFor(field, raw);

/** A value, or why not: import_not_number {value} · import_not_whole {value} · import_not_option {value, options} · import_items_as_text. */
export type Coerced = { value: unknown } | { reason: Note };

/**
 * Source value → catalogue value. Values already of the right type (GeoJSON numbers, arrays) pass
 * through to validateProperties; text is parsed. Empty text is null.
 */
export function coerce(field: FieldDef, raw: unknown, column: string): Coerced {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { value: null };
  if (typeof raw !== 'string') return { value: raw };
  const labels = field.options?.map((o) => `${o.value}/${o.zh}`).join(', ');
  switch (field.type) {
    case 'string':
      return { value: raw.trim() };
    case 'integer':
    case 'number': {
      const n = parseQuantity(raw, headerUnit(column));
      // The units understood: 亩, 公顷, m², 万, 万人 (UNITS above).
      if (n === undefined) return { reason: note('import_not_number', { value: raw }) };
      if (field.type === 'integer') {
        const r = Math.round(n);
        if (Math.abs(r - n) > 1e-6 * Math.max(1, Math.abs(n))) return { reason: note('import_not_whole', { value: raw }) };
        return { value: r };
      }
      return { value: Math.round(n * 100) / 100 };
    }
    case 'enum': {
      const v = enumValue(field, raw);
      return v === undefined ? { reason: note('import_not_option', { value: raw, options: labels! }) } : { value: v };
    }
    case 'enum[]': {
      const parts = raw.split(/[,，、;；/|]/).map((p) => p.trim()).filter(Boolean);
      const values = parts.map((p) => enumValue(field, p));
      const bad = parts.find((_, i) => values[i] === undefined);
      return bad !== undefined ? { reason: note('import_not_option', { value: bad, options: labels! }) } : { value: values };
    }
    case 'items':
      // Inventories come from GeoJSON as [{"item", "quantity"}].
      return { reason: note('import_items_as_text') };
  }
}

/**
 * One item column of a census table (救灾帐篷: 200) → `{item, quantity}` of the items field; an
 * empty cell or 0 adds nothing.
 */
export function coerceItem(field: FieldDef, item: string, raw: unknown, column: string): Coerced {
  const c = coerce({ ...field, type: 'integer' }, raw, column);
  if ('reason' in c) return c;
  return c.value === null || c.value === 0 ? { value: null } : { value: { item, quantity: c.value } };
}
