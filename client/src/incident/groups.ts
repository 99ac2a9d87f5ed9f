/**
 * The resource groups of the closest-facility answer as the sheet, the map and the dispatch sheet
 * show them: name, colour, which catalogue layer describes their properties, and which of those
 * properties a commander dispatching them needs.
 */
import type { FieldDef } from '../../../core/catalogue/types';
import type { ClosestGroupKey } from '../../../core/incident/schema';
import type { Layer } from '../api/layers';
import type { I18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

interface GroupStyle {
  name: MessageKey;
  color: string;
  /** Properties shown under each item, in order. */
  fields: string[];
}

export const GROUP_STYLE: Record<ClosestGroupKey, GroupStyle> = {
  fire_stations: { name: 'incGroupFire', color: '#c62828', fields: ['type', 'vehicles', 'personnel', 'phone'] },
  micro_fire_stations: { name: 'incGroupMicro', color: '#ff7043', fields: ['personnel', 'phone'] },
  rescue_teams: { name: 'incGroupTeams', color: '#1565c0', fields: ['specialty', 'members', 'equipment', 'contact', 'phone'] },
  depots: { name: 'incGroupDepots', color: '#ef6c00', fields: ['level', 'inventory', 'contact', 'phone'] },
  shelters: { name: 'incGroupShelters', color: '#2e7d32', fields: ['class', 'capacity', 'status', 'manager', 'phone'] },
  experts: { name: 'incGroupExperts', color: '#6a1b9a', fields: ['specialty', 'title', 'unit', 'phone'] },
};

/** Properties that are contacts: on the dispatch sheet they go in their own column. */
export const CONTACT_FIELDS = new Set(['contact', 'manager', 'phone']);

/** The option label of an enum value of a catalogue field (e.g. a geohazard's type), or the value. */
export function optionLabel(layers: readonly Layer[], layerId: string, field: string, value: string, { l }: I18n): string {
  const o = layers.find((x) => x.id === layerId)?.fields.find((f) => f.name === field)?.options?.find((x) => x.value === value);
  return o ? l(o) : value;
}

/** One property as plain text, as its catalogue field describes it (units, option labels, item lists). */
export function fieldText(field: FieldDef | undefined, value: unknown, i18n: I18n): string {
  const { l, n, t } = i18n;
  if (value === null || value === undefined || value === '') return '';
  const option = (v: unknown) => field?.options?.find((o) => o.value === v);
  const unit = field?.unit ? ` ${l(field.unit)}` : '';
  if (typeof value === 'number') return `${n(value)}${unit}`;
  if (Array.isArray(value)) {
    return value
      .map((v) => {
        if (typeof v === 'object' && v !== null && 'item' in v) {
          const { item, quantity } = v as { item: string; quantity: number };
          const o = option(item);
          return `${o ? l(o) : item} ${n(quantity)}${o?.unit ? ` ${l(o.unit)}` : ''}`;
        }
        const o = option(v);
        return o ? l(o) : String(v);
      })
      .join(t('listSeparator'));
  }
  const o = option(value);
  return o ? l(o) : `${String(value)}${unit}`;
}

/** The fields to show of an item of a group, with their text, skipping empty ones. */
export function itemFacts(layers: readonly Layer[], layerId: string, key: ClosestGroupKey, properties: Record<string, unknown>, i18n: I18n): { field: string; label: string; text: string }[] {
  const defs = layers.find((x) => x.id === layerId)?.fields ?? [];
  return GROUP_STYLE[key].fields.flatMap((name) => {
    const def = defs.find((f) => f.name === name);
    const text = fieldText(def, properties[name], i18n);
    return text ? [{ field: name, label: def ? i18n.l(def.label) : name, text }] : [];
  });
}
