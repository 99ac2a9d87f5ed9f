/**
 * Relief reach in the client (国减发〔2022〕1号: 10 hours; 巫山 plan: 4 hours): the target, the item,
 * the dispatch time, the share of residents needing relief and the days of consumables; towns
 * coloured by the share of their need met within the target for the scarcest item; the per-town,
 * per-item and reserve-standard (铜梁 plan: 区级 ≥ 3,000, 镇（街道）≥ 200 persons) tables. Every
 * heading, legend and basis line says the run's own target hours; the server's basis lines and
 * shortfall reasons are Notes rendered here in the reader's language.
 */
import type { ReliefReachAnswer } from '../../../../core/analysis/relief-reach/index';
import type { StandardRow } from '../../../../core/analysis/relief-reach/depot-standard';
import type { ItemCover, TownRelief } from '../../../../core/analysis/relief-reach/relief-reach';
import { RELIEF_REACH, type ReliefReachRequest } from '../../../../core/analysis/relief-reach/request';
import { RELIEF_ITEMS } from '../../../../core/catalogue/layers';
import { DEFAULT_DAYS, DEFAULT_RATES } from '../../../../core/incident/supply';
import type { Note } from '../../../../core/note';
import { RELIEF_TARGET_HOURS } from '../../../../core/standards';
import { tagFeatures } from '../../export';
import { useI18n, type I18n } from '../../i18n';
import { formatHours } from '../../i18n/duration';
import { noteText } from '../../i18n/notes';
import { joinTowns, townLayer } from '../../map/analysisLayers';
import { townColumns, type Table } from '../../panels/resultTables';
import { NumberParam, OptionSelect, optionsOf } from '../params';
import type { ClientAnalysis, FormProps } from '../types';

/** Empty item: every item with a per-person rate is weighed. */
export interface ReliefDraft {
  targetHours: number;
  item: string;
  dispatchHours: number;
  evacuateShare: number;
  days: number;
}

/** Every resident (the incident view's default too); a bureau sets a share for a scenario. */
const DEFAULT_DRAFT: ReliefDraft = { targetHours: RELIEF_TARGET_HOURS, item: '', dispatchHours: 0, evacuateShare: 1, days: DEFAULT_DAYS };

/** Share of the need met for the scarcest item: full, half or more, a quarter or more, less. */
const COVER_CLASSES = [
  { min: 1, color: '#1a9850' },
  { min: 0.5, color: '#a6d96a' },
  { min: 0.25, color: '#fee08b' },
  { min: 0, color: '#d73027' },
];
const UNREACHABLE = '#6a1b9a';

const coverColor = (r: TownRelief): string =>
  r.worstHours === null && r.persons > 0 ? UNREACHABLE : COVER_CLASSES.find((c) => r.covered >= c.min)!.color;

/** 巫山县“十四五”应急管理规划 commits to relief within 4 hours, tighter than the national 10. */
const WUSHAN_HOURS = 4;

/** An item's name in the reader's language (the catalogue's relief items), else its code. */
export function itemLabel(item: string | null, { l }: Pick<I18n, 'l'>): string {
  if (!item) return '';
  const o = RELIEF_ITEMS.find((x) => x.value === item);
  return o ? l(o) : item;
}

/** A relief Note in the reader's language, its item named, not coded. */
export function reliefNote(n: Note, i18n: I18n): string {
  const item = n.params?.item;
  return noteText(item === undefined ? n : { ...n, params: { ...n.params, item: itemLabel(String(item), i18n) } }, i18n, { hours: (h) => formatHours(Number(h), i18n) });
}

const percent = (share: number) => Math.floor(share * 1000) / 10;
const minutes = (hours: number | null): number | null => (hours === null ? null : hours * 60);

function ReliefForm({ draft, layers, onChange }: FormProps<ReliefDraft>) {
  const i18n = useI18n();
  const { t } = i18n;
  const d = DEFAULT_DRAFT;
  // Only items with a per-person rate can be weighed against a need.
  const items = optionsOf(layers, 'depots', 'inventory').filter((o) => DEFAULT_RATES.some((r) => r.item === o.value));
  return (
    <div className="analysis-form" data-form="relief">
      <NumberParam
        id="targetHours"
        label={t('paramTargetHours')}
        unit={t('unitHours')}
        value={draft.targetHours}
        defaultValue={d.targetHours}
        step={0.5}
        basis="国减发〔2022〕1号"
        onChange={(v) => onChange({ ...draft, targetHours: v })}
      />
      <p className="param-note">
        <button type="button" className="link-button" data-preset="wushan" onClick={() => onChange({ ...draft, targetHours: WUSHAN_HOURS })}>
          {t('wushanPreset', { hours: formatHours(WUSHAN_HOURS, i18n) })}
        </button>
      </p>
      <NumberParam
        id="evacuateShare"
        label={t('paramEvacuateShare')}
        unit=""
        value={draft.evacuateShare}
        defaultValue={d.evacuateShare}
        max={1}
        step={0.05}
        basis={t('basisEvacuateShare')}
        onChange={(v) => onChange({ ...draft, evacuateShare: v })}
      />
      <NumberParam
        id="days"
        label={t('paramDays')}
        unit={t('unitDays')}
        value={draft.days}
        defaultValue={d.days}
        step={1}
        basis={t('basisDays')}
        onChange={(v) => onChange({ ...draft, days: v })}
      />
      <OptionSelect label={t('paramItem')} any={t('reliefAllItems')} options={items} value={draft.item} onChange={(item) => onChange({ ...draft, item })} />
      <NumberParam
        id="dispatchHours"
        label={t('paramDispatch')}
        unit={t('unitHours')}
        value={draft.dispatchHours}
        defaultValue={d.dispatchHours}
        step={0.5}
        basis={t('basisDispatch')}
        onChange={(v) => onChange({ ...draft, dispatchHours: v })}
      />
    </div>
  );
}

const coverColumns = (i18n: I18n) => {
  const { t } = i18n;
  const item = { key: 'item', label: t('colItem'), value: (r: ItemCover) => itemLabel(r.item, i18n) };
  const need = { key: 'need', label: t('colNeed'), value: (r: ItemCover) => r.need, digits: 0 };
  const supply = { key: 'supply', label: t('colSupply'), value: (r: ItemCover) => r.supply, digits: 0 };
  const shortfall = { key: 'shortfall', label: t('colShortfall'), value: (r: ItemCover) => r.need - r.supply, digits: 0, bad: (r: ItemCover) => r.supply < r.need };
  const covered = { key: 'covered', label: t('colCovered'), unit: '%', value: (r: ItemCover) => percent(r.covered), digits: 1, bad: (r: ItemCover) => r.covered < 1 };
  return { item, need, supply, shortfall, covered };
};

export const reliefReach: ClientAnalysis<'relief', ReliefReachRequest, ReliefReachAnswer, ReliefDraft> = {
  definition: RELIEF_REACH,
  name: 'kindRelief',
  hint: 'kindReliefHint',
  perCounty: true,
  params: {
    targetHours: 'paramTargetHours',
    item: 'paramItem',
    dispatchHours: 'paramDispatch',
    evacuateShare: 'paramEvacuateShare',
    days: 'paramDays',
  },
  defaultDraft: DEFAULT_DRAFT,
  Form: ReliefForm,
  // An empty item is left out, so every rated item is weighed.
  request: ({ item, ...rest }, county) => ({ body: { county, ...rest, ...(item ? { item } : {}) } }),
  title: (run, i18n) => i18n.t('reliefTitle', { hours: formatHours(run.data.parameters.targetHours, i18n) }),
  layers(run, adminUnits) {
    return { under: [townLayer(adminUnits, run.data.towns, coverColor)], over: [] };
  },
  legend(run, i18n) {
    const { t } = i18n;
    return [
      {
        title: t('legendCovered', { hours: formatHours(run.data.parameters.targetHours, i18n) }),
        entries: [
          { color: COVER_CLASSES[0].color, style: 'fill', label: t('legendCoveredFull') },
          { color: COVER_CLASSES[1].color, style: 'fill', label: t('legendCoveredRange', { from: 50, to: 100 }) },
          { color: COVER_CLASSES[2].color, style: 'fill', label: t('legendCoveredRange', { from: 25, to: 50 }) },
          { color: COVER_CLASSES[3].color, style: 'fill', label: t('legendCoveredBelow', { value: 25 }) },
          { color: UNREACHABLE, style: 'fill', label: t('unreachable') },
        ],
      },
    ];
  },
  tables(run, _layers, i18n) {
    const { t } = i18n;
    const { code, town, population, persons } = townColumns(i18n);
    const target = run.data.parameters.targetHours;
    const cover = coverColumns(i18n);
    const towns: Table<TownRelief> = {
      id: 'towns',
      title: t('tableTowns'),
      rowKey: (r) => r.code,
      rows: run.data.towns,
      columns: [
        town,
        code,
        population,
        persons('persons', t('colPersonsNeeding'), (r) => r.persons),
        { key: 'binding', label: t('colBinding'), value: (r) => itemLabel(r.binding, i18n), total: () => itemLabel(run.data.county.binding, i18n) },
        {
          key: 'covered',
          label: t('colCovered'),
          unit: '%',
          value: (r) => percent(r.covered),
          digits: 1,
          bad: (r) => r.covered < 1,
          total: () => percent(run.data.county.covered),
        },
        {
          key: 'worstHours',
          label: t('colWorstHours'),
          unit: t('unitMinutes'),
          value: (r) => minutes(r.worstHours),
          digits: 1,
          duration: true,
          empty: t('unreachableShort'),
          bad: (r) => r.worstHours === null || r.worstHours > target,
          total: (rows) => (rows.every((r) => r.worstHours === null) ? null : minutes(Math.max(...rows.map((r) => r.worstHours ?? 0)))),
        },
        persons('populationBeyondTarget', t('colBeyond', { target: formatHours(target, i18n) }), (r) => r.populationBeyondTarget, (r) => r.populationBeyondTarget > 0),
        persons('populationUnreachable', t('colUnreachable'), (r) => r.populationUnreachable, (r) => r.populationUnreachable > 0),
      ],
    };
    const county: Table<ItemCover> = {
      id: 'items',
      title: t('tableReliefItems'),
      rowKey: (r) => r.item,
      rows: run.data.county.items,
      columns: [cover.item, cover.need, cover.supply, cover.shortfall, cover.covered],
    };
    type TownItem = ItemCover & { code: string; name: string };
    const townItems: Table<TownItem> = {
      id: 'town-items',
      title: t('tableReliefTownItems'),
      rowKey: (r) => `${r.code}:${r.item}`,
      rows: run.data.towns.flatMap((tw) => tw.items.map((i) => ({ ...i, code: tw.code, name: tw.name }))),
      columns: [{ key: 'name', label: t('colTown'), value: (r) => r.name }, cover.item, cover.need, cover.supply, cover.shortfall, cover.covered],
    };
    const s = run.data.standard;
    const standard: Table<StandardRow> = {
      id: 'standard',
      title: t('tableDepotStandard', { county: i18n.n(s.county.standard), town: i18n.n(s.towns[0]?.standard ?? 0) }),
      rowKey: (r) => `${r.level}:${r.code}`,
      rows: [s.county, ...s.towns],
      columns: [
        { key: 'name', label: t('colTown'), value: (r) => r.name },
        { key: 'level', label: t('colLevel'), value: (r) => t(r.level === 'county' ? 'levelCounty' : 'levelTown') },
        { key: 'depots', label: t('colDepots'), value: (r) => r.depots, digits: 0 },
        { key: 'persons', label: t('colSupplyPersons'), unit: t('unitPersons'), value: (r) => r.persons, digits: 0, bad: (r) => !r.meets },
        { key: 'standard', label: t('colStandard'), unit: t('unitPersons'), value: (r) => r.standard, digits: 0 },
        { key: 'meets', label: t('colMeets'), value: (r) => r.meets, bad: (r) => !r.meets },
        { key: 'binding', label: t('colBinding'), value: (r) => itemLabel(r.binding, i18n) },
        { key: 'reason', label: t('colReason'), value: (r) => r.reasons.map((n) => reliefNote(n, i18n)).join('；') },
      ],
    };
    return [towns, county, townItems, standard];
  },
  chart(run, i18n) {
    const { t, n } = i18n;
    const towns = [...run.data.towns].sort((a, b) => a.covered - b.covered);
    return {
      title: t('chartCovered', { hours: formatHours(run.data.parameters.targetHours, i18n) }),
      max: 100,
      threshold: { value: 100, label: '100%' },
      bars: towns.map((r) => ({
        key: r.code,
        label: r.name,
        segments: [{ value: percent(r.covered), color: coverColor(r), title: r.name }],
        text: `${n(percent(r.covered), 1)}% ${itemLabel(r.binding, i18n)}`,
      })),
    };
  },
  summary(run, i18n) {
    const { t, n } = i18n;
    const { towns, county, standard, parameters } = run.data;
    const hours = formatHours(parameters.targetHours, i18n);
    const short = towns.filter((r) => r.covered < 1);
    return {
      lines: [
        t('summaryReliefCounty', { hours, covered: n(percent(county.covered), 1), item: itemLabel(county.binding, i18n) }),
        t('summaryReliefShort', { short: short.length, total: towns.length }),
        t('summaryBeyond', { beyond: towns.filter((r) => !r.withinTarget).length, total: towns.length, target: hours }),
        t('summaryDepots', { count: run.data.depots.length }),
        t('summaryStandard', {
          county: t(standard.county.meets ? 'standardMet' : 'standardShort'),
          short: standard.towns.filter((r) => !r.meets).length,
          total: standard.towns.length,
        }),
      ],
      basis: { label: t('basis'), text: [...parameters.basis, ...standard.basis].map((b) => reliefNote(b, i18n)).join(' ') },
      details: {
        title: t('reliefShortTowns'),
        items: short.flatMap((r) => r.shortfalls.map((s) => t('reliefTownReason', { town: r.name, reason: reliefNote(s, i18n) }))),
      },
    };
  },
  geojson: (run, adminUnits) => ({
    features: tagFeatures('town', joinTowns(adminUnits, run.data.towns)),
    parameters: { county: run.body.county, ...run.data.parameters, depots: run.data.depots, standard: run.data.standard },
  }),
};
