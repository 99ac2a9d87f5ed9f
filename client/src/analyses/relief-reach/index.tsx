/**
 * Relief reach in the client (国减发〔2022〕1号: 10 hours; 巫山 plan: 4 hours): the target, the item
 * and the dispatch time; towns coloured by the hours to their farthest resident against the
 * target; the per-town table and chart.
 */
import type { ReliefReachAnswer } from '../../../../core/analysis/relief-reach/index';
import type { TownRelief } from '../../../../core/analysis/relief-reach/relief-reach';
import { RELIEF_REACH, type ReliefReachRequest } from '../../../../core/analysis/relief-reach/request';
import { RELIEF_TARGET_HOURS } from '../../../../core/standards';
import { tagFeatures } from '../../export';
import { useI18n } from '../../i18n';
import { joinTowns, townLayer } from '../../map/analysisLayers';
import { ratio, sum, townColumns, type Table } from '../../panels/resultTables';
import { NumberParam, OptionSelect, optionsOf } from '../params';
import type { ClientAnalysis, FormProps } from '../types';

/** Empty item: depots holding any stock count. */
export type ReliefDraft = Required<Omit<ReliefReachRequest, 'county' | 'item'>> & { item: string };

const DEFAULT_DRAFT: ReliefDraft = { targetHours: RELIEF_TARGET_HOURS, item: '', dispatchHours: 0 };

const RELIEF_CLASSES = [
  { max: 0.25, color: '#1a9850' },
  { max: 0.5, color: '#a6d96a' },
  { max: 1, color: '#fee08b' },
  { max: Infinity, color: '#d73027' },
];
const UNREACHABLE = '#6a1b9a';

const reliefColor = (hours: number | null, target: number): string =>
  hours === null ? UNREACHABLE : RELIEF_CLASSES.find((c) => hours <= c.max * target)!.color;

/** 巫山县“十四五”应急管理规划 commits to relief within 4 hours, tighter than the national 10. */
const WUSHAN_HOURS = 4;

function ReliefForm({ draft, layers, onChange }: FormProps<ReliefDraft>) {
  const { t } = useI18n();
  const d = DEFAULT_DRAFT;
  const items = optionsOf(layers, 'depots', 'inventory');
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
        <button type="button" className="link-button" onClick={() => onChange({ ...draft, targetHours: WUSHAN_HOURS })}>
          {t('wushanPreset', { hours: WUSHAN_HOURS })}
        </button>
      </p>
      <OptionSelect label={t('paramItem')} any={t('anyItem')} options={items} value={draft.item} onChange={(item) => onChange({ ...draft, item })} />
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

export const reliefReach: ClientAnalysis<'relief', ReliefReachRequest, ReliefReachAnswer, ReliefDraft> = {
  definition: RELIEF_REACH,
  name: 'kindRelief',
  hint: 'kindReliefHint',
  perCounty: true,
  params: { targetHours: 'paramTargetHours', item: 'paramItem', dispatchHours: 'paramDispatch' },
  defaultDraft: DEFAULT_DRAFT,
  Form: ReliefForm,
  // An empty item is left out, so depots holding any stock count.
  request: ({ item, ...rest }, county) => ({ body: { county, ...rest, ...(item ? { item } : {}) } }),
  layers(run, adminUnits) {
    const target = run.data.parameters.targetHours;
    return { under: [townLayer(adminUnits, run.data.towns, (r) => reliefColor(r.worstHours, target))], over: [] };
  },
  legend(run, i18n) {
    const { t, n } = i18n;
    const target = run.data.parameters.targetHours;
    const h = (k: number) => n(k * target, 1);
    return [
      {
        title: t('legendWorstHours', { target: n(target) }),
        entries: [
          { color: RELIEF_CLASSES[0].color, style: 'fill', label: t('legendHoursUpTo', { value: h(0.25) }) },
          { color: RELIEF_CLASSES[1].color, style: 'fill', label: t('legendHoursRange', { from: h(0.25), to: h(0.5) }) },
          { color: RELIEF_CLASSES[2].color, style: 'fill', label: t('legendHoursRange', { from: h(0.5), to: h(1) }) },
          { color: RELIEF_CLASSES[3].color, style: 'fill', label: t('legendHoursBeyond', { value: h(1) }) },
          { color: UNREACHABLE, style: 'fill', label: t('unreachable') },
        ],
      },
    ];
  },
  tables(run, _layers, i18n) {
    const { t } = i18n;
    const { code, town, population, persons } = townColumns(i18n);
    const target = run.data.parameters.targetHours;
    const towns: Table<TownRelief> = {
      id: 'towns',
      title: t('tableTowns'),
      rowKey: (r) => r.code,
      rows: run.data.towns,
      columns: [
        town,
        code,
        population,
        {
          key: 'worstHours',
          label: t('colWorstHours'),
          unit: t('unitHours'),
          value: (r) => r.worstHours,
          digits: 2,
          empty: t('unreachableShort'),
          bad: (r) => r.worstHours === null || r.worstHours > target,
          total: (rows) => (rows.every((r) => r.worstHours === null) ? null : Math.max(...rows.map((r) => r.worstHours ?? 0))),
        },
        {
          key: 'meanHours',
          label: t('colMeanHours'),
          unit: t('unitHours'),
          value: (r) => r.meanHours,
          digits: 2,
          total: (rows) => {
            const reached = rows.filter((r) => r.meanHours !== null);
            return ratio(sum<TownRelief>((r) => r.meanHours! * r.population)(reached), sum<TownRelief>((r) => r.population)(reached));
          },
        },
        persons('populationBeyondTarget', t('colBeyond', { target: i18n.n(target) }), (r) => r.populationBeyondTarget, (r) => r.populationBeyondTarget > 0),
        persons('populationUnreachable', t('colUnreachable'), (r) => r.populationUnreachable, (r) => r.populationUnreachable > 0),
        {
          key: 'withinTarget',
          label: t('colWithin', { target: i18n.n(target) }),
          value: (r) => r.withinTarget,
          bad: (r) => !r.withinTarget,
          total: (rows) => rows.every((r) => r.withinTarget),
        },
      ],
    };
    return [towns];
  },
  chart(run, i18n) {
    const { t, n } = i18n;
    const target = run.data.parameters.targetHours;
    const towns = [...run.data.towns].sort((a, b) => (b.worstHours ?? Infinity) - (a.worstHours ?? Infinity));
    const largest = Math.max(...towns.map((r) => r.worstHours ?? 0));
    const max = Math.max(target, largest) * 1.05;
    return {
      title: t('chartWorstHours'),
      max,
      threshold: { value: target, label: t('hoursShort', { hours: n(target) }) },
      bars: towns.map((r) => ({
        key: r.code,
        label: r.name,
        segments: [{ value: r.worstHours ?? max, color: reliefColor(r.worstHours, target), title: r.name }],
        text: r.worstHours === null ? t('unreachableShort') : t('hoursShort', { hours: n(r.worstHours, 2) }),
      })),
    };
  },
  summary(run, { t, n }) {
    const beyond = run.data.towns.filter((r) => !r.withinTarget);
    const persons = run.data.towns.reduce((a, r) => a + r.populationBeyondTarget, 0);
    return {
      lines: [
        t('summaryBeyond', { beyond: beyond.length, total: run.data.towns.length, target: n(run.data.parameters.targetHours) }),
        t('summaryBeyondPersons', { persons: n(persons, 0) }),
        t('summaryDepots', { count: run.data.depots.length }),
      ],
      basis: { label: t('basis'), text: run.data.parameters.basis },
    };
  },
  geojson: (run, adminUnits) => ({
    features: tagFeatures('town', joinTowns(adminUnits, run.data.towns)),
    parameters: { county: run.body.county, ...run.data.parameters, depots: run.data.depots },
  }),
};
