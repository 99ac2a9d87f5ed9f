/**
 * The semantics the catalogue gives layers beyond drawing them: which layer plays a role (the
 * boundary, the road network, the population source), which facilities serve today, which are
 * planned, and which records are demo data. Server, seeds and analyses ask here instead of
 * naming layer ids or status values.
 */
import { DEMO_SOURCE_PREFIX, LAYERS, SOURCE_FIELD } from './layers.js';
import type { LayerDef, LayerRole, LayerRoles } from './types.js';

export type LayerWithRole<R extends LayerRole> = LayerDef & { roles: Required<Pick<LayerRoles, R>> };

/** The one layer with this role; throws when the catalogue has none (a catalogue bug, caught by the unit tests). */
export function layerWithRole<R extends LayerRole>(role: R): LayerWithRole<R> {
  const layer = LAYERS.find((l) => l.roles?.[role]);
  if (!layer) throw new Error(`The catalogue has no layer with the role "${role}".`);
  return layer as LayerWithRole<R>;
}

/** The boundary layer and the fields it is read by. */
export const boundaryRole = (): LayerRoles['boundary'] & { layer: string } => {
  const l = layerWithRole('boundary');
  return { layer: l.id, ...l.roles.boundary };
};

/** True when the feature of a facility layer serves today (layers without a service rule: always). */
export function isInService(layer: LayerDef, props: Record<string, unknown>): boolean {
  const rule = layer.service;
  if (!rule) return true;
  const v = props[rule.field];
  if (rule.inService) return rule.inService.includes(v as string);
  return !(rule.notInService ?? []).includes(v as string);
}

/** True when the feature is a planned facility, not yet built. */
export function isPlanned(layer: LayerDef, props: Record<string, unknown>): boolean {
  return layer.service !== undefined && props[layer.service.field] === layer.service.planned;
}

/** True when the record is generated demo data (its source says so). */
export const isDemo = (props: Record<string, unknown>): boolean => {
  const s = props[SOURCE_FIELD];
  return typeof s === 'string' && s.startsWith(DEMO_SOURCE_PREFIX);
};
