/**
 * Planner siting as the panel shows it: the question in plain words (goal, N or target share,
 * service time), the sites and per-town tables, the before/after chart, the towns coloured by the
 * share covered with the new sites, the legend and the summary.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { ExcludedSite } from '../../../../core/analysis/planner-siting/hazards';
import type { Note } from '../../../../core/note';
import type { ChosenSite } from '../../../../core/analysis/planner-siting/planner-siting';
import { FIRE_RESPONSE, FIRE_RURAL_RESPONSE, SITING_DEFAULTS } from '../../../../core/standards';
import type { ScopeCoverage } from '../../../../core/analysis/planner-siting/plan';
import type { Layer } from '../../api/layers';
import { useI18n, type I18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { noteText } from '../../i18n/notes';
import { BAD, coverageLegend, GOOD, MANUAL_COLOR, SITE_COLOR, type LegendGroup } from '../../map/analysisLayers';
import { hexToRgba } from '../../map/symbols';
import type { Chart } from '../../panels/BarChart';
import { townColumns, type AnyTable, type Table } from '../../panels/resultTables';
import { Check, NumberParam } from '../params';
import type { FormProps, Summary } from '../types';
import { UrbanTowns } from '../urbanTowns';
import { GOAL_LABEL, lscpHeadline, MODE_LABEL } from './reportText';
import { CANDIDATE_CHOICES, DEFAULT_NEW_SITE_CAPACITY, defaultSitingDraft, goalOf, SITING_GOALS, takesCapacity, urbanRuralRule, type CandidateChoice, type SitingDraft, type SitingGoal, type SitingMode, type SitingResult, type SitingRun } from './goals';

const CANDIDATE_LABEL: Record<CandidateChoice, MessageKey> = { grid: 'candidatesGrid', planned: 'candidatesPlanned', shelters: 'candidatesShelters' };

/** Planner siting: the question in plain words; N or the target share; the service time with the standard's default. */
export function SitingForm({ draft, onChange }: FormProps<SitingDraft>) {
  const i18n = useI18n();
  const { t } = i18n;
  const goal = goalOf(draft.goal);
  const d = SITING_DEFAULTS[goal.layer];
  return (
    <div className="analysis-form" data-form="siting">
      <label className="param-select">
        <span className="param-label">{t('sitingGoal')}</span>
        <select data-param="goal" value={draft.goal} onChange={(e) => onChange({ ...defaultSitingDraft(e.target.value as SitingGoal), urbanTowns: draft.urbanTowns })}>
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
      {goal.layer === 'fire_stations' && (
        <div data-param="oneThreshold">
          <Check label={t('paramFireOneThreshold')} checked={draft.oneThreshold} onChange={(v) => onChange({ ...draft, oneThreshold: v })} />
        </div>
      )}
      {urbanRuralRule(draft) ? (
        <>
          <NumberParam
            id="urbanDriveMinutes"
            label={t('paramUrbanDrive')}
            unit={t('unitMinutes')}
            value={draft.urbanDriveMinutes}
            defaultValue={FIRE_RESPONSE.driveMinutes}
            basis={t('urbanDriveBasis')}
            max={120}
            onChange={(v) => onChange({ ...draft, urbanDriveMinutes: v })}
          />
          <NumberParam
            id="ruralDriveMinutes"
            label={t('paramRuralDrive')}
            unit={t('unitMinutes')}
            value={draft.ruralDriveMinutes}
            defaultValue={FIRE_RURAL_RESPONSE.driveMinutes}
            basis={t('fireRuralBasis')}
            max={120}
            onChange={(v) => onChange({ ...draft, ruralDriveMinutes: v })}
          />
          <UrbanTowns marked={draft.urbanTowns} onChange={(urbanTowns) => onChange({ ...draft, urbanTowns })} />
        </>
      ) : (
        <NumberParam id="threshold" label={t('paramThreshold')} unit={t('unitMinutes')} value={draft.threshold} defaultValue={d.minutes} basis={noteText(d.basis, i18n)} onChange={(v) => onChange({ ...draft, threshold: v })} />
      )}
      {takesCapacity(draft.goal) && (
        <div data-param="capacityAware">
          <Check label={t('paramCapacityAware')} checked={draft.capacityAware} onChange={(v) => onChange({ ...draft, capacityAware: v })} />
        </div>
      )}
      {takesCapacity(draft.goal) && draft.capacityAware && (
        <NumberParam
          id="newSiteCapacity"
          label={t('paramNewSiteCapacity')}
          unit={t('unitPersons')}
          value={draft.newSiteCapacity}
          defaultValue={DEFAULT_NEW_SITE_CAPACITY}
          basis={t('newSiteCapacityBasis')}
          min={1}
          step={100}
          onChange={(v) => onChange({ ...draft, newSiteCapacity: v })}
        />
      )}
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

/** The proposed sites (ranked, with their numbers on the map), the towns before and after, the candidates hazards ruled out. */
export function sitingTables(run: SitingRun, _layers: readonly Layer[], i18n: I18n): AnyTable[] {
  const { t } = i18n;
  const { code, town, population, persons } = townColumns(i18n);
  const sites: Table<ChosenSite> = {
    id: 'sites',
    title: t('tableSites'),
    rowKey: (r) => r.id,
    // Ranked by what each adds; the number is the one on its marker.
    rows: run.data.chosen,
    columns: [
      { key: 'number', label: t('colNumber'), value: siteNumber, digits: 0, total: () => t('total') },
      { key: 'rank', label: t('colRank'), value: (r) => r.rank, digits: 0 },
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
  const excluded = run.data.excluded ?? [];
  if (!excluded.length) return [sites, towns];
  const ruledOut: Table<ExcludedSite> = {
    id: 'excluded',
    title: t(run.data.status === 'evaluated' ? 'sitingThreatenedTitle' : 'sitingExcludedTitle', { count: excluded.length }),
    rowKey: (r) => r.id,
    rows: excluded,
    columns: [
      { key: 'id', label: t('colId'), value: (r) => r.id },
      { key: 'reason', label: t('colExcludedReason'), value: (r) => r.reasons.map((x) => noteText(x, i18n)).join('；') },
      { key: 'lon', label: t('colLon'), value: (r) => r.lon, digits: 5 },
      { key: 'lat', label: t('colLat'), value: (r) => r.lat, digits: 5 },
    ],
  };
  return [sites, towns, ruledOut];
}

/** A siting text: a note in the reader's language (answers saved before notes existed hold English prose). */
export const sitingText = (x: Note | string, i18n: I18n): string => (typeof x === 'string' ? x : noteText(x, i18n));

/** A site's number (answers saved before numbers existed: its rank). */
export const siteNumber = (c: ChosenSite): number => c.number ?? c.rank;

/** The colour of a candidate ruled out by a hazard: a grey dot in a red ring. */
export const EXCLUDED_COLOR = '#c62828';

/** Candidates ruled out by hazards: grey dots ringed red, the reasons on hover in the table. */
export function excludedLayer(excluded: readonly ExcludedSite[]) {
  return new ScatterplotLayer<ExcludedSite>({
    id: 'siting-excluded',
    data: excluded,
    getPosition: (d) => [d.lon, d.lat],
    getRadius: 5,
    radiusUnits: 'pixels',
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
    getFillColor: hexToRgba('#9e9e9e', 200),
    getLineColor: hexToRgba(EXCLUDED_COLOR, 255),
  });
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
        { color: EXCLUDED_COLOR, style: 'outline', label: t('legendExcluded') },
      ],
    },
    coverageLegend(i18n),
  ];
}

/** Siting answers with more new sites than this are drawn only when the planner says so. */
export const DRAW_LIMIT = 50;

/**
 * Under fire coverage's urban/rural rule, coverage before → after in the urban and in the rural
 * towns, each with its minutes from the call (turn-out + drive), as fire coverage reports them.
 */
export function scopeLines(run: SitingRun, i18n: I18n): string[] {
  const { t, n } = i18n;
  const { split, parameters } = run.data;
  const rule = parameters.urbanRural;
  if (!split || !rule) return [];
  const share = (x: number, of: number) => (of > 0 ? n((x / of) * 100, 1) : '—');
  const line = (scope: MessageKey, x: ScopeCoverage, drive: number) =>
    t('sitingScopeLine', {
      scope: t(scope),
      minutes: n(rule.turnoutMinutes + drive),
      before: n(x.coveredBefore, 0),
      total: n(x.population, 0),
      shareBefore: share(x.coveredBefore, x.population),
      after: n(x.coveredAfter, 0),
      shareAfter: share(x.coveredAfter, x.population),
    });
  return [
    ...(split.urban.towns ? [line('fireScopeUrban', split.urban, rule.urbanDriveMinutes)] : []),
    ...(split.rural.towns ? [line('fireScopeRural', split.rural, rule.ruralDriveMinutes)] : []),
  ];
}

export function sitingSummary(run: SitingRun, i18n: I18n): Summary {
  const { t, n } = i18n;
  const d = run.data;
  const lines = [
    ...(run.body.model === 'lscp' && d.status !== 'evaluated' ? [lscpHeadline(run, i18n)] : []),
    t('sitingExisting', { count: d.existing }),
    ...scopeLines(run, i18n),
    t('sitingBefore', { covered: n(d.before.covered, 0), share: n(d.before.share * 100, 1) }),
    t('sitingAfter', { covered: n(d.after.covered, 0), share: n(d.after.share * 100, 1), added: n(d.after.covered - d.before.covered, 0) }),
  ];
  if (d.status === 'evaluated') lines.push(t('whatIfEvaluated', { count: d.chosen.length }));
  else lines.push(d.status === 'optimal' ? t('sitingOptimal', { seconds: n(d.seconds, 2) }) : t('sitingFeasible', { gap: d.gap === null ? '—' : n(d.gap * 100, 2), seconds: n(d.seconds, 2) }));
  if (d.status !== 'evaluated') lines.push(t('sitingCandidates', { candidates: n(d.candidates, 0), cells: n(d.demandCells, 0) }));
  const notes = [d.parameters.candidates, ...d.notes].filter((x) => x !== undefined);
  const basis = [d.parameters.basis, ...(d.parameters.urbanRural?.rules ?? [])].map((x) => sitingText(x, i18n)).join(i18n.lang === 'zh' ? '；' : '; ');
  return { lines, details: { title: t('sitingNotes'), items: notes.map((x) => sitingText(x, i18n)) }, basis: { label: t('basis'), text: basis } };
}
