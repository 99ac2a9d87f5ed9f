/**
 * Which catalogue field a column of a bureau's table fills, and which option a cell names: one
 * rule for the server's import (server/import/mapping.ts) and the client's guess of the layer
 * (client/src/import/guess.ts). A column is matched by the field's name, its zh or en label, or an
 * alias; a column headed by an item of an `items` field (救灾帐篷, 冲锋舟) fills that item's
 * quantity — the census tables give an inventory as one column per item.
 */
import type { EnumOption, FieldDef, LayerDef } from './types.js';

/** A header as compared: lower case, no spaces, no bracketed unit ("有效面积（亩）" → "有效面积"). */
export const headerKey = (h: string): string =>
  h.trim().toLowerCase().replace(/[（(【[].*?[）)】\]]/g, '').replace(/\s+/g, '');

/** The field a column fills; `item` when it is one item of an `items` field. */
export interface ColumnTarget {
  field: string;
  item?: string;
}

const optionWords = (o: EnumOption): string[] => [o.value, o.zh, o.en, ...(o.aliases ?? [])];

/**
 * The field (or field and item) a column header names, or undefined. The field's own name and
 * labels win over aliases, and aliases over item names, so 类型 is a layer's `type` before any
 * field that merely lists it as an alias.
 */
export function matchColumn(layer: LayerDef, header: string): ColumnTarget | undefined {
  const key = headerKey(header);
  if (key === '') return undefined;
  const direct = layer.fields.find(
    (f) => f.name.toLowerCase() === key || headerKey(f.label.zh) === key || f.label.en.toLowerCase().replace(/\s+/g, '') === key,
  );
  if (direct) return { field: direct.name };
  const alias = layer.fields.find((f) => f.aliases?.some((a) => headerKey(a) === key));
  if (alias) return { field: alias.name };
  for (const f of layer.fields) {
    if (f.type !== 'items') continue;
    const o = f.options?.find((x) => optionWords(x).some((w) => headerKey(w) === key));
    if (o) return { field: f.name, item: o.value };
  }
  return undefined;
}

const cellKey = (s: string): string => s.trim().toLowerCase().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');

/** The option a cell names by its value, zh or en label, or an alias (室内 → indoor); undefined when none. */
export function optionFor(field: FieldDef, raw: string): string | undefined {
  const k = cellKey(raw);
  return field.options?.find((o) => optionWords(o).some((w) => cellKey(w) === k))?.value;
}
