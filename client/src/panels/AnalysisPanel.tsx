/**
 * The analysis panel (分析): pick an analysis in plain words, set its parameters (each with the
 * standard's default and clause), run it for the county of the area switcher, and read the result
 * as a summary, legend, chart and per-town table, exportable as GeoJSON and CSV. The coverage
 * analyses read internal layers, so the public is offered the isochrone only, and told why.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Role } from '../../../core/catalogue/types';
import {
  ANALYSIS_KINDS,
  offeredKind,
  offeredKinds,
  parseMinutes,
  type AnalysisDrafts,
  type AnalysisKind,
  type AnalysisRequest,
  type AnalysisRun,
  type LonLat,
  type AnalysisRunner,
} from '../api/analysis';
import { sitingBody } from '../api/siting';
import type { Area } from '../api/areas';
import type { FeaturePage } from '../api/features';
import { ApiError } from '../api/http';
import type { Layer } from '../api/layers';
import { download, exportCollection, exportName, resultGeoJson, resultName, tableCsv } from '../export';
import { useI18n, type I18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { analysisLegend } from '../map/analysisLayers';
import { AnalysisLegend } from './AnalysisLegend';
import { FireForm, IsochroneForm, ReliefForm, ShelterForm, SitingForm } from './AnalysisForms';
import { BarChart } from './BarChart';
import { ExportMenu } from './ExportMenu';
import { ResultTable } from './ResultTable';
import { Scenarios } from './Scenarios';
import { SitingPlanner } from './SitingPlanner';
import { resultChart, resultTables, type AnyTable } from './resultTables';

interface Props {
  role?: Role;
  layers: Layer[];
  areas: Area[];
  areaCode?: string;
  drafts: AnalysisDrafts;
  onDrafts(drafts: AnalysisDrafts): void;
  analysis: AnalysisRunner;
  adminUnits?: FeaturePage;
  picking: boolean;
  onPicking(picking: boolean): void;
  selected?: { name: string; position: LonLat };
  onFit(run: AnalysisRun): void;
}

const KIND_NAME: Record<AnalysisKind, MessageKey> = { siting: 'kindSiting', fire: 'kindFire', shelter: 'kindShelter', relief: 'kindRelief', isochrone: 'kindIsochrone' };
const KIND_HINT: Record<AnalysisKind, MessageKey> = { siting: 'kindSitingHint', fire: 'kindFireHint', shelter: 'kindShelterHint', relief: 'kindReliefHint', isochrone: 'kindIsochroneHint' };
const FILE_NAME: Record<AnalysisKind, string> = { siting: 'siting', fire: 'fire-coverage', shelter: 'shelter-capacity', relief: 'relief-reach', isochrone: 'isochrone' };

/** Parameter names the API may report in a 400, as the form labels them. */
const PARAM_LABEL: Record<string, MessageKey> = {
  origins: 'paramOrigins',
  minutes: 'paramMinutes',
  mode: 'paramMode',
  driveMinutes: 'paramDrive',
  turnoutMinutes: 'paramTurnout',
  types: 'paramStationTypes',
  hazard: 'paramHazard',
  areaPerResidentM2: 'paramAreaPerResident',
  serviceRadiusM: 'paramServiceRadius',
  metric: 'paramMetric',
  bufferM: 'paramBuffer',
  targetHours: 'paramTargetHours',
  item: 'paramItem',
  dispatchHours: 'paramDispatch',
  county: 'area',
  p: 'paramNewSites',
  threshold: 'paramThreshold',
  coverageTarget: 'paramCoverageTarget',
};

function errorText(err: Error, t: I18n['t']): { title: string; detail?: string } {
  if (!(err instanceof ApiError)) return { title: t('errOther'), detail: err.message };
  if (err.status === 0) return { title: t('errNetwork'), detail: err.message };
  if (err.status === 401 || err.status === 403) return { title: t('errUnauthorized'), detail: err.message };
  if (err.code === 'no_road_network') return { title: t('errNoRoads'), detail: err.message };
  if (err.code === 'bad_parameter') {
    const key = err.parameter ? PARAM_LABEL[err.parameter] : undefined;
    return { title: t('errParameter', { parameter: key ? t(key) : (err.parameter ?? '') }), detail: err.message };
  }
  return { title: t('errOther'), detail: err.message };
}

/** The request the drafts make, or why they make none. */
function buildRequest(drafts: AnalysisDrafts, county: string | undefined, t: I18n['t']): { request?: AnalysisRequest; problem?: string } {
  const numbers = (o: object): boolean => Object.values(o).every((v) => (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'object' && v !== null && !Array.isArray(v) ? numbers(v) : true));
  if (drafts.kind === 'isochrone') {
    const { origins, mode } = drafts.isochrone;
    const minutes = parseMinutes(drafts.isochrone.minutes);
    if (origins.length === 0) return { problem: t('needOrigins') };
    if (!minutes) return { problem: t('needMinutes') };
    return { request: { kind: 'isochrone', body: { origins, minutes, mode } } };
  }
  if (!county) return { problem: t('needCounty') };
  const draft = drafts[drafts.kind];
  if (!numbers(draft)) return { problem: t('needNumbers') };
  switch (drafts.kind) {
    case 'fire': {
      const { types, ...rest } = drafts.fire;
      return { request: { kind: 'fire', body: { county, ...rest, ...(types ? { types } : {}) } } };
    }
    case 'shelter':
      return { request: { kind: 'shelter', body: { county, ...drafts.shelter } } };
    case 'relief':
      return { request: { kind: 'relief', body: { county, ...drafts.relief } } };
    case 'siting':
      return { request: { kind: 'siting', body: sitingBody(drafts.siting, county) } };
  }
}

/** Seconds since `since`, ticking while the run lasts. */
function Elapsed({ since }: { since: number }) {
  const { t, n } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return <span>{t('running', { seconds: n(Math.max(0, now - since) / 1000, 1) })}</span>;
}

export function AnalysisPanel(props: Props) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const { drafts, onDrafts, analysis } = props;
  const offered = offeredKinds(props.role);
  const publicOnly = offered.length < ANALYSIS_KINDS.length;
  const kind = offeredKind(drafts.kind, props.role);
  const area = props.areas.find((a) => a.code === props.areaCode);
  const { request, problem } = buildRequest({ ...drafts, kind }, props.areaCode, t);
  const run = analysis.run;
  // The parameters fold away when a result arrives, so the result is in view; one click opens them.
  // Folded in the render that shows the result, so the result's scroll-into-view measures the final layout.
  const [params, setParams] = useState({ run, open: !run });
  if (params.run !== run) setParams({ run, open: run ? false : params.open });
  const setParamsOpen = (open: boolean) => setParams({ run, open });
  const paramsOpen = params.open;

  return (
    <section className="analysis-panel" aria-label={t('analysis')} data-testid="analysis-panel">
      <fieldset className="analysis-kinds">
        <legend>{t('chooseAnalysis')}</legend>
        {offered.map((k) => (
          <label key={k} className={k === kind ? 'chosen' : undefined}>
            <input type="radio" name="analysis-kind" value={k} data-analysis={k} checked={k === kind} onChange={() => onDrafts({ ...drafts, kind: k })} />
            <span>
              <strong>{t(KIND_NAME[k])}</strong>
              {k === kind && <small className="muted">{t(KIND_HINT[k])}</small>}
            </span>
          </label>
        ))}
      </fieldset>
      {publicOnly && (
        <p className="hint muted" data-testid="analysis-public-note">
          {t('analysisPublicNote')}
        </p>
      )}

      <details className="params" open={paramsOpen} onToggle={(e) => setParamsOpen(e.currentTarget.open)}>
        <summary data-testid="params-toggle">{t('parameters')}</summary>
        {kind !== 'isochrone' && (
          <p className="analysis-county">
            {t('analysisCounty')}: <strong>{area ? l(area.name) : t('needCounty')}</strong> <span className="muted">{t('analysisCountyHint')}</span>
          </p>
        )}
        {kind === 'fire' && <FireForm draft={drafts.fire} layers={props.layers} onChange={(fire) => onDrafts({ ...drafts, fire })} />}
        {kind === 'shelter' && <ShelterForm draft={drafts.shelter} layers={props.layers} onChange={(shelter) => onDrafts({ ...drafts, shelter })} />}
        {kind === 'siting' && <SitingForm draft={drafts.siting} layers={props.layers} onChange={(siting) => onDrafts({ ...drafts, siting })} />}
        {kind === 'relief' && <ReliefForm draft={drafts.relief} layers={props.layers} onChange={(relief) => onDrafts({ ...drafts, relief })} />}
        {kind === 'isochrone' && (
          <IsochroneForm
            draft={drafts.isochrone}
            layers={props.layers}
            onChange={(isochrone) => onDrafts({ ...drafts, isochrone })}
            picking={props.picking}
            onPicking={props.onPicking}
            selected={props.selected}
          />
        )}
      </details>

      <div className="run-row">
        <button type="button" className="primary" data-testid="run-analysis" disabled={!request || analysis.pending} onClick={() => request && analysis.start(request)}>
          {t('run')}
        </button>
        <span className="run-status" role="status" data-testid="run-status">
          {analysis.pending ? (
            <>
              <span className="spinner" aria-hidden />
              <Elapsed since={analysis.startedAt} />
            </>
          ) : (
            problem && <span className="muted">{problem}</span>
          )}
        </span>
      </div>
      {analysis.pending && <div className="progress" aria-hidden />}
      {analysis.error && <RunError error={analysis.error} />}
      {run && (
        <AnalysisResults
          run={run}
          analysis={analysis}
          layers={props.layers}
          areas={props.areas}
          adminUnits={props.adminUnits}
          onClear={analysis.clear}
          onFit={() => props.onFit(run)}
          picking={props.picking}
          onPicking={props.onPicking}
        />
      )}
      {kind === 'siting' && props.areaCode && <Scenarios county={props.areaCode} areaName={area ? l(area.name) : props.areaCode} analysis={analysis} />}
    </section>
  );
}

function RunError({ error }: { error: Error }) {
  const { t } = useI18n();
  const { title, detail } = errorText(error, t);
  return (
    <div className="run-error error" role="alert" data-testid="analysis-error">
      <strong>{title}</strong>
      {detail && <p>{detail}</p>}
    </div>
  );
}

interface ResultsProps {
  run: AnalysisRun;
  analysis: AnalysisRunner;
  layers: Layer[];
  areas: Area[];
  adminUnits?: FeaturePage;
  onClear(): void;
  onFit(): void;
  picking: boolean;
  onPicking(picking: boolean): void;
}

function AnalysisResults({ run, analysis, layers, areas, adminUnits, onClear, onFit, picking, onPicking }: ResultsProps) {
  const i18n = useI18n();
  const { t, n, l } = i18n;
  const tables = useMemo(() => resultTables(run, layers, i18n), [run, layers, i18n]);
  const chart = useMemo(() => resultChart(run, i18n), [run, i18n]);
  const legend = useMemo(() => analysisLegend(run, i18n), [run, i18n]);
  const area = 'county' in run.body ? areas.find((a) => a.code === (run.body as { county: string }).county) : undefined;
  // A new result whose start is out of sight (the panel scrolled to the form or the table) is scrolled to.
  const top = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const body = top.current?.closest('.panel-body');
    if (!body) return;
    const offset = top.current!.getBoundingClientRect().top - body.getBoundingClientRect().top;
    if (offset < 0 || offset > body.clientHeight * 0.6) body.scrollTop += offset - 8;
  }, [run]);
  const csv = (table: AnyTable) =>
    download(exportName(run, `${FILE_NAME[run.kind]}-${table.id}`, 'csv'), tableCsv(table, i18n), 'text/csv;charset=utf-8');

  return (
    <div className="analysis-results" data-testid="analysis-results" data-kind={run.kind} ref={top}>
      <header>
        <h3>
          {t(KIND_NAME[run.kind])}
          {area && <span className="muted"> · {l(area.name)}</span>}
        </h3>
        {run.ms > 0 && (
          <span className="muted" data-testid="run-time">
            {t('tookSeconds', { seconds: n(run.ms / 1000, 2) })}
          </span>
        )}
      </header>
      <Summary run={run} />
      <AnalysisLegend groups={legend} />
      <div className="result-actions">
        <button type="button" onClick={onFit}>
          {t('fitResult')}
        </button>
        <ExportMenu id="result" label={t('exportResult')} run={(format, crs) => exportCollection(resultGeoJson(run, adminUnits), resultName(run, FILE_NAME[run.kind]), format, crs)} />
        {tables.map((table) => (
          <button key={table.id} type="button" data-testid={`export-csv-${table.id}`} onClick={() => csv(table)}>
            {t('exportCsv', { table: table.title })}
          </button>
        ))}
        <button type="button" className="danger" data-testid="clear-results" onClick={onClear}>
          {t('clearResults')}
        </button>
      </div>
      {run.kind === 'siting' && analysis.solved?.kind === 'siting' && (
        <SitingPlanner
          run={run}
          solved={analysis.solved}
          plan={analysis.plan}
          layers={layers}
          areas={areas}
          adminUnits={adminUnits}
          picking={picking}
          onPicking={onPicking}
        />
      )}
      <BarChart chart={chart} />
      {tables.map((table) => (
        <ResultTable
          key={`${run.kind}-${table.id}`}
          table={table}
          rowAction={run.kind === 'siting' && table.id === 'sites' ? { label: '×', title: t('removeSite'), run: (row: { id: string }) => analysis.plan.remove(row.id) } : undefined}
        />
      ))}
    </div>
  );
}

/** The run's headline figures and the basis it applied. */
function Summary({ run }: { run: AnalysisRun }) {
  const { t, n } = useI18n();
  const pct = (a: number, b: number) => (b > 0 ? n((a / b) * 100, 1) : '—');
  const lines: string[] = [];
  let basis: { label: string; text: string } | undefined;
  let details: { title: string; items: string[] } | undefined;
  switch (run.kind) {
    case 'isochrone': {
      for (const f of run.data.features) {
        const p = f.properties;
        lines.push(
          t(p.method === 'network' ? 'summaryRing' : 'summaryRingStraight', {
            minutes: n(p.minutes),
            persons: p.population === null ? '—' : n(p.population, 0),
            area: n(p.areaKm2, 1),
          }),
        );
      }
      const fallback = run.data.origins.filter((o) => o.method === 'straight-line');
      if (fallback.length) details = { title: t('straightLineOrigins', { count: fallback.length }), items: fallback.map((o) => `#${o.index + 1}: ${o.reason ?? ''}`) };
      const weighting = run.data.features[0]?.properties.populationWeighting;
      if (weighting) basis = { label: t('populationWeighting'), text: weighting };
      break;
    }
    case 'fire': {
      const total = run.data.towns.reduce((a, r) => a + r.population, 0);
      const covered = run.data.towns.reduce((a, r) => a + r.covered, 0);
      const exceeding = run.data.stations.filter((s) => s.exceedsArea);
      const minutes = run.data.parameters.turnoutMinutes + run.data.parameters.driveMinutes;
      lines.push(t('summaryCovered', { minutes: n(minutes), covered: n(covered, 0), total: n(total, 0), share: pct(covered, total) }));
      lines.push(t('summaryUncovered', { persons: n(total - covered, 0), cells: n(run.data.uncovered.features.length, 0) }));
      lines.push(t('summaryStations', { count: run.data.stations.length, exceeding: exceeding.length }));
      const problems = run.data.stations.filter((s) => s.problem);
      if (problems.length) details = { title: t('stationProblems', { count: problems.length }), items: problems.map((s) => `${s.name}: ${s.problem}`) };
      basis = { label: t('basis'), text: run.data.parameters.basis };
      break;
    }
    case 'shelter': {
      const failing = run.data.towns.filter((r) => !r.meetsStandard);
      const shortfall = run.data.towns.reduce((a, r) => a + r.shortfallPersons, 0);
      const out = run.data.towns.reduce((a, r) => a + r.populationOutOfReach, 0);
      lines.push(t('summaryFailing', { failing: failing.length, total: run.data.towns.length, threshold: n(run.data.parameters.areaPerResidentM2) }));
      lines.push(t('summaryShortfall', { persons: n(shortfall, 0) }));
      lines.push(t('summaryOutOfReach', { persons: n(out, 0) }));
      const items = [
        ...run.data.unsuitable.map((u) => t('unsuitableItem', { name: u.name ?? u.id, id: u.near[0]?.id ?? '', m: n(u.near[0]?.distanceM ?? 0, 0) })),
        ...run.data.excluded.map((e) => `${e.name}: ${e.reason}`),
      ];
      if (items.length) details = { title: t('sheltersNotCounted', { unsuitable: run.data.unsuitable.length, excluded: run.data.excluded.length }), items };
      basis = { label: t('basis'), text: run.data.parameters.basis };
      break;
    }
    case 'siting': {
      const d = run.data;
      lines.push(t('sitingExisting', { count: d.existing }));
      lines.push(t('sitingBefore', { covered: n(d.before.covered, 0), share: n(d.before.share * 100, 1) }));
      lines.push(t('sitingAfter', { covered: n(d.after.covered, 0), share: n(d.after.share * 100, 1), added: n(d.after.covered - d.before.covered, 0) }));
      if (d.status === 'evaluated') lines.push(t('whatIfEvaluated', { count: d.chosen.length }));
      else lines.push(d.status === 'optimal' ? t('sitingOptimal', { seconds: n(d.seconds, 2) }) : t('sitingFeasible', { gap: d.gap === null ? '—' : n(d.gap * 100, 2), seconds: n(d.seconds, 2) }));
      if (d.status !== 'evaluated') lines.push(t('sitingCandidates', { candidates: n(d.candidates, 0), cells: n(d.demandCells, 0) }));
      if (d.notes.length) details = { title: t('sitingNotes'), items: d.notes };
      basis = { label: t('basis'), text: d.parameters.basis };
      break;
    }
    case 'relief': {
      const beyond = run.data.towns.filter((r) => !r.withinTarget);
      const persons = run.data.towns.reduce((a, r) => a + r.populationBeyondTarget, 0);
      lines.push(t('summaryBeyond', { beyond: beyond.length, total: run.data.towns.length, target: n(run.data.parameters.targetHours) }));
      lines.push(t('summaryBeyondPersons', { persons: n(persons, 0) }));
      lines.push(t('summaryDepots', { count: run.data.depots.length }));
      basis = { label: t('basis'), text: run.data.parameters.basis };
      break;
    }
  }
  return (
    <div className="summary" data-testid="analysis-summary">
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {details && (
        <details>
          <summary>{details.title}</summary>
          <ul>
            {details.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </details>
      )}
      {basis && (
        <p className="basis">
          {basis.label}: {basis.text}
        </p>
      )}
    </div>
  );
}
