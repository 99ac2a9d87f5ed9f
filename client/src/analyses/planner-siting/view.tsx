/**
 * Planner siting as the panel shows it: the question in plain words (goal, N or target share,
 * service time), the sites and per-town tables, the before/after chart, the towns coloured by the
 * share covered with the new sites, the legend and the summary.
 */
import type { ChosenSite } from '../../../../core/analysis/planner-siting/planner-siting';
import { SITING_DEFAULTS } from '../../../../core/standards';
import type { Layer } from '../../api/layers';
import { useI18n, type I18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { BAD, coverageLegend, GOOD, MANUAL_COLOR, SITE_COLOR, type LegendGroup } from '../../map/analysisLayers';
import type { Chart } from '../../panels/BarChart';
import { townColumns, type AnyTable, type Table } from '../../panels/resultTables';
import { NumberParam } from '../params';
import type { FormProps, Summary } from '../types';
import { CANDIDATE_CHOICES, defaultSitingDraft, goalOf, SITING_GOALS, type CandidateChoice, type SitingDraft, type SitingGoal, type SitingMode, type SitingResult, type SitingRun } from './goals';

export const GOAL_LABEL: Record<SitingGoal, MessageKey> = {
  'fire-mclp': 'goalFireMclp',
  'shelter-mclp': 'goalShelterMclp',
  'shelter-lscp': 'goalShelterLscp',
  'fire-lscp': 'goalFireLscp',
  'depot-pmedian': 'goalDepotPmedian',
  'fire-pcenter': 'goalFirePcenter',
};
const CANDIDATE_LABEL: Record<CandidateChoice, MessageKey> = { grid: 'candidatesGrid', planned: 'candidatesPlanned', shelters: 'candidatesShelters' };
export const MODE_LABEL: Record<SitingMode, MessageKey> = { drive: 'modeDrive', walk: 'modeWalk', 'straight-line': 'modeStraight' };

/** Planner siting: the question in plain words; N or the target share; the service time with the standard's default. */
export function SitingForm({ draft, onChange }: FormProps<SitingDraft>) {
  const { t } = useI18n();
  const goal = goalOf(draft.goal);
  const d = SITING_DEFAULTS[goal.layer];
  return (
    <div className="analysis-form" data-form="siting">
      <label className="param-select">
        <span className="param-label">{t('sitingGoal')}</span>
        <select data-param="goal" value={draft.goal} onChange={(e) => onChange(defaultSitingDraft(e.target.value as SitingGoal))}>
          {SITING_GOALS.map((g) => (
            <option key={g.id} value={g.id}>
              {t(GOAL_LABEL[g.id])}
            </option>
          ))}
        </select>
      </label>
      {goal.model === 'lscp' ? (
        <NumberParam
          id="coverageTarget"
          label={t('paramCoverageTarget')}
          unit="%"
          value={Math.round(draft.coverageTarget * 1000) / 10}
          defaultValue={80}
          min={1}
          max={100}
          onChange={(v) => onChange({ ...draft, coverageTarget: v / 100 })}
        />
      ) : (
        <NumberParam id="p" label={t('paramNewSites')} unit={t('unitSites')} value={draft.p} defaultValue={defaultSitingDraft(draft.goal).p} min={1} max={50} onChange={(v) => onChange({ ...draft, p: v })} />
      )}
      <NumberParam id="threshold" label={t('paramThreshold')} unit={t('unitMinutes')} value={draft.threshold} defaultValue={d.minutes} basis={d.basis} onChange={(v) => onChange({ ...draft, threshold: v })} />
      <label className="param-select">
        <span className="param-label">{t('paramCandidates')}</span>
        <select data-param="candidates" value={draft.candidates} onChange={(e) => onChange({ ...draft, candidates: e.target.value as CandidateChoice })}>
          {CANDIDATE_CHOICES.filter((c) => !(c === 'shelters' && goal.layer === 'shelters')).map((c) => (
            <option key={c} value={c}>
              {t(CANDIDATE_LABEL[c])}
            </option>
          ))}
        </select>
      </label>
      <label className="param-select">
        <span className="param-label">{t('paramMode')}</span>
        <select data-param="mode" value={draft.mode} onChange={(e) => onChange({ ...draft, mode: e.target.value as SitingMode })}>
          {(['drive', 'walk', 'straight-line'] as const).map((m) => (
            <option key={m} value={m}>
              {t(MODE_LABEL[m])}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The proposed sites (ranked by the people each adds) and the towns before and after. */
export function sitingTables(run: SitingRun, _layers: readonly Layer[], i18n: I18n): AnyTable[] {
  const { t } = i18n;
  const { code, town, population, persons } = townColumns(i18n);
  const sites: Table<ChosenSite> = {
    id: 'sites',
    title: t('tableSites'),
    rowKey: (r) => r.id,
    rows: run.data.chosen,
    columns: [
      { key: 'rank', label: t('colRank'), value: (r) => r.rank, digits: 0, total: () => t('total') },
      { key: 'town', label: t('colTown'), value: (r) => r.town },
      persons('addedPopulation', t('colAdded'), (r) => r.addedPopulation),
      { key: 'lon', label: t('colLon'), value: (r) => r.lon, digits: 5 },
      { key: 'lat', label: t('colLat'), value: (r) => r.lat, digits: 5 },
    ],
  };
  const towns: Table<SitingResult['towns'][number]> = {
    id: 'towns',
    title: t('tableTowns'),
    rowKey: (r) => r.code,
    rows: run.data.towns,
    columns: [
      town,
      code,
      population,
      persons('coveredBefore', t('colCoveredBefore'), (r) => r.coveredBefore),
      persons('coveredAfter', t('colCoveredAfter'), (r) => r.coveredAfter),
      persons('added', t('colAdded'), (r) => r.coveredAfter - r.coveredBefore),
    ],
  };
  return [sites, towns];
}

/** Covered before, added by the new sites (the colour of their markers), still uncovered, per town. */
export function sitingChart(run: SitingRun, i18n: I18n): Chart {
  const { t, n } = i18n;
  const segment = (value: number, color: string, label: string) => ({ value, color, title: `${label} ${n(value, 0)}` });
  const towns = [...run.data.towns].sort((a, b) => b.coveredAfter - b.coveredBefore - (a.coveredAfter - a.coveredBefore) || b.population - a.population);
  return {
    title: t('chartBeforeAfter'),
    max: Math.max(1, ...towns.map((r) => r.population)),
    keys: [
      { color: GOOD, label: t('colCoveredBefore') },
      { color: SITE_COLOR, label: t('colAdded') },
      { color: BAD, label: t('colUncovered') },
    ],
    bars: towns.map((r) => ({
      key: r.code,
      label: r.name,
      segments: [
        segment(r.coveredBefore, GOOD, t('colCoveredBefore')),
        segment(r.coveredAfter - r.coveredBefore, SITE_COLOR, t('colAdded')),
        segment(r.population - r.coveredAfter, BAD, t('colUncovered')),
      ],
      text: `${n(r.population ? (r.coveredBefore / r.population) * 100 : 0, 1)}% → ${n(r.population ? (r.coveredAfter / r.population) * 100 : 0, 1)}%`,
    })),
  };
}

export function sitingLegend(i18n: I18n): LegendGroup[] {
  const { t } = i18n;
  return [
    {
      title: t('kindSiting'),
      entries: [
        { color: SITE_COLOR, style: 'fill', label: t('legendSites') },
        { color: MANUAL_COLOR, style: 'fill', label: t('legendManual') },
      ],
    },
    coverageLegend(i18n),
  ];
}

export function sitingSummary(run: SitingRun, { t, n }: I18n): Summary {
  const d = run.data;
  const lines = [
    t('sitingExisting', { count: d.existing }),
    t('sitingBefore', { covered: n(d.before.covered, 0), share: n(d.before.share * 100, 1) }),
    t('sitingAfter', { covered: n(d.after.covered, 0), share: n(d.after.share * 100, 1), added: n(d.after.covered - d.before.covered, 0) }),
  ];
  if (d.status === 'evaluated') lines.push(t('whatIfEvaluated', { count: d.chosen.length }));
  else lines.push(d.status === 'optimal' ? t('sitingOptimal', { seconds: n(d.seconds, 2) }) : t('sitingFeasible', { gap: d.gap === null ? '—' : n(d.gap * 100, 2), seconds: n(d.seconds, 2) }));
  if (d.status !== 'evaluated') lines.push(t('sitingCandidates', { candidates: n(d.candidates, 0), cells: n(d.demandCells, 0) }));
  return { lines, details: d.notes.length ? { title: t('sitingNotes'), items: d.notes } : undefined, basis: { label: t('basis'), text: d.parameters.basis } };
}
