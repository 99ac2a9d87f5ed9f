/**
 * The assessment's tables, described once (panels/resultTables.ts columns) for the sortable tables
 * of the sheet and the tables of the dispatch sheet: supplies against need per tier, towns and
 * geohazard points threatened, who must be warned, and the ranked resources.
 */
import type { ClosestGroupKey, ClosestItem, IncidentAssessment, SupplyLine } from '../../../core/incident/schema';
import type { Layer } from '../api/layers';
import type { I18n } from '../i18n';
import type { Column, Table } from '../panels/resultTables';
import { distance, eta, tierLabel } from './format';
import { CONTACT_FIELDS, fieldText, GROUP_STYLE, optionLabel } from './groups';
import type { WarnRow } from './warnings';

/** The label and unit of a relief item (the depots' inventory options), else the item code. */
export function itemLabel(layers: readonly Layer[], item: string, i18n: I18n): { name: string; unit: string } {
  const o = layers.find((x) => x.id === 'depots')?.fields.find((f) => f.name === 'inventory')?.options?.find((x) => x.value === item);
  return { name: o ? i18n.l(o) : item, unit: o?.unit ? i18n.l(o.unit) : '' };
}

interface SupplyRow {
  item: string;
  name: string;
  unit: string;
  need: number;
  /** Per tier (minutes → line). */
  tiers: Map<number, SupplyLine>;
}

/** Available within the tier, and the shortfall in words when short ("800 · 缺 1,200"): not colour alone. */
function tierCell(line: SupplyLine | undefined, { t, n }: I18n): string | null {
  if (!line) return null;
  return line.shortfall > 0 ? t('incShortCell', { available: n(line.available, 0), shortfall: n(line.shortfall, 0) }) : n(line.available, 0);
}

export function suppliesTable(a: IncidentAssessment, layers: readonly Layer[], i18n: I18n): Table<SupplyRow> {
  const { t } = i18n;
  const rows = new Map<string, SupplyRow>();
  for (const tier of a.supply.tiers) {
    for (const line of tier.items) {
      let row = rows.get(line.item);
      if (!row) rows.set(line.item, (row = { item: line.item, ...itemLabel(layers, line.item, i18n), need: line.need, tiers: new Map() }));
      row.tiers.set(tier.minutes, line);
    }
  }
  const tierColumns: Column<SupplyRow>[] = a.supply.tiers.map((tier) => ({
    key: `tier${tier.minutes}`,
    label: t('incTierWithin', { minutes: tier.minutes }),
    value: (r) => tierCell(r.tiers.get(tier.minutes), i18n),
    digits: 0,
    bad: (r) => (r.tiers.get(tier.minutes)?.shortfall ?? 0) > 0,
  }));
  return {
    id: 'supplies',
    title: t('incSupplies'),
    rowKey: (r) => r.item,
    rows: [...rows.values()],
    columns: [
      { key: 'name', label: t('item'), value: (r) => (r.unit ? t('withUnit', { label: r.name, unit: r.unit }) : r.name) },
      { key: 'need', label: t('incNeed'), value: (r) => r.need, digits: 0 },
      ...tierColumns,
    ],
  };
}

type TownRow = IncidentAssessment['threatened']['towns'][number];
export function townsTable(a: IncidentAssessment, i18n: I18n): Table<TownRow> {
  const { t } = i18n;
  return {
    id: 'threatened-towns',
    title: t('incThreatenedTowns'),
    rowKey: (r) => r.code,
    rows: a.threatened.towns,
    columns: [
      { key: 'name', label: t('colTown'), value: (r) => r.name, total: () => t('total') },
      { key: 'residents', label: t('incResidentsInArea'), unit: t('unitPersons'), value: (r) => r.residents, digits: 0, total: (rows) => rows.reduce((s, r) => s + r.residents, 0) },
    ],
  };
}

type HazardRow = IncidentAssessment['threatened']['geohazards'][number];
export function geohazardsTable(a: IncidentAssessment, layers: readonly Layer[], i18n: I18n): Table<HazardRow> {
  const { t } = i18n;
  const label = (field: string, v: string) => optionLabel(layers, 'geohazards', field, v, i18n);
  return {
    id: 'threatened-geohazards',
    title: t('incThreatenedGeohazards'),
    rowKey: (r) => r.id,
    rows: a.threatened.geohazards,
    columns: [
      { key: 'name', label: t('incColName'), value: (r) => r.name, total: () => t('total') },
      { key: 'type', label: t('incColType'), value: (r) => label('type', r.type) },
      { key: 'risk', label: t('incColRisk'), value: (r) => label('risk', r.risk), bad: (r) => r.risk === 'high' || r.risk === 'very_high' },
      { key: 'persons', label: t('incColThreatenedPersons'), unit: t('unitPersons'), value: (r) => r.threatenedPersons, digits: 0, total: (rows) => rows.reduce((s, r) => s + r.threatenedPersons, 0) },
      { key: 'property', label: t('incColThreatenedProperty'), unit: t('incUnitTenThousandYuan'), value: (r) => r.threatenedProperty, digits: 1, total: (rows) => rows.reduce((s, r) => s + r.threatenedProperty, 0) },
    ],
  };
}

export function warnTable(rows: WarnRow[], i18n: I18n): Table<WarnRow> {
  const { t } = i18n;
  return {
    id: 'warnings',
    title: t('incWarnings'),
    rowKey: (r) => `${r.category}/${r.name}/${r.contact}/${r.phone}`,
    rows,
    columns: [
      { key: 'category', label: t('incColCategory'), value: (r) => r.category },
      { key: 'name', label: t('incColName'), value: (r) => r.name },
      { key: 'contact', label: t('incColContact'), value: (r) => r.contact || null, empty: '' },
      { key: 'phone', label: t('incColPhone'), value: (r) => r.phone || null, empty: '' },
      { key: 'population', label: t('incColPopulation'), unit: t('unitPersons'), value: (r) => r.population, digits: 0, empty: '' },
    ],
  };
}

export interface ResourceRow {
  group: ClosestGroupKey;
  rank: number;
  item: ClosestItem;
  layer: string;
}

/** The first `perGroup` of each group, in group order, for the dispatch sheet. */
export function resourcesTable(a: IncidentAssessment, layers: readonly Layer[], perGroup: number, i18n: I18n): Table<ResourceRow> {
  const { t } = i18n;
  const rows: ResourceRow[] = a.closest.groups.flatMap((g) => g.items.slice(0, perGroup).map((item, i) => ({ group: g.key, rank: i + 1, item, layer: g.layer })));
  const contact = (r: ResourceRow) => {
    const defs = layers.find((x) => x.id === r.layer)?.fields ?? [];
    return [...CONTACT_FIELDS].map((f) => fieldText(defs.find((d) => d.name === f), r.item.properties[f], i18n)).filter(Boolean).join(' ');
  };
  return {
    id: 'resources',
    title: t('incResources'),
    rowKey: (r) => `${r.group}/${r.item.id}`,
    rows,
    columns: [
      { key: 'group', label: t('incColGroup'), value: (r) => t(GROUP_STYLE[r.group].name) },
      { key: 'rank', label: '#', value: (r) => r.rank, digits: 0 },
      { key: 'name', label: t('incColName'), value: (r) => r.item.name },
      { key: 'eta', label: t('incColEta'), value: (r) => eta(r.item.etaMinutes, i18n), digits: 0 },
      { key: 'distance', label: t('incColDistance'), value: (r) => distance(r.item.distanceM, i18n), digits: 0 },
      { key: 'tier', label: t('incColTier'), value: (r) => tierLabel(r.item.tier, i18n), bad: (r) => r.item.tier === null },
      { key: 'contact', label: t('incColContact'), value: (r) => contact(r) || null, empty: '' },
    ],
  };
}
