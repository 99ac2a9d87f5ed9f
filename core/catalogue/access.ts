import { LAYERS } from './layers.js';
import type { FieldDef, LayerDef, Role } from './types.js';

/** Internal layers and fields are for users who hold a configured token (commander or admin). */
export const canSeeInternal = (role: Role): boolean => role !== 'public';

export function layersFor(role: Role): LayerDef[] {
  return LAYERS.filter((l) => l.access === 'public' || canSeeInternal(role));
}

export function findLayer(id: string): LayerDef | undefined {
  return LAYERS.find((l) => l.id === id);
}

/** The layer if this role may see it; undefined for unknown layers and for hidden ones alike. */
export function layerFor(id: string, role: Role): LayerDef | undefined {
  return layersFor(role).find((l) => l.id === id);
}

export function fieldsFor(layer: LayerDef, role: Role): FieldDef[] {
  return layer.fields.filter((f) => f.access === 'public' || canSeeInternal(role));
}

/** Keep only the properties this role may see, in catalogue order. */
export function projectProperties(
  layer: LayerDef,
  role: Role,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fieldsFor(layer, role)) {
    if (field.name in properties) out[field.name] = properties[field.name];
  }
  return out;
}

/** The catalogue entry as a role may see it: internal fields dropped. */
export function layerView(layer: LayerDef, role: Role): LayerDef {
  return { ...layer, fields: fieldsFor(layer, role) };
}
