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
  analysisOf,
  buildRequest,
  offeredKind,
  offeredKinds,
  PARAM_LABEL,
  resultGeoJson,
  runChart,
  runCounty,
  runFileName,
  runLegend,
  runSummary,
  runTables,
  runTitle,
  type AnalysisDrafts,
  type AnalysisRun,
} from '../analyses/registry';
import type { LonLat } from '../analyses/types';
import type { AnalysisRunner } from '../api/analysis';
import type { Area } from '../api/areas';
import type { FeaturePage } from '../api/features';
import { ApiError } from '../api/http';
import type { Layer } from '../api/layers';
import { download, exportCollection, exportName, resultName, tableCsv } from '../export';
import { useI18n, type I18n } from '../i18n';
import { AnalysisLegend } from './AnalysisLegend';
import { AnalysisNotes, networkNotesOf } from './AnalysisNotes';
import { BarChart } from './BarChart';
import { ExportMenu } from './ExportMenu';
import { ResultTable } from './ResultTable';
import type { AnyTable } from './resultTables';
import type { Summary as RunSummary } from '../analyses/types';

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
  const chosen = analysisOf(kind);
  const { request, problem } = buildRequest({ ...drafts, kind }, props.areaCode);
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
              <strong>{t(analysisOf(k).name)}</strong>
              {k === kind && <small className="muted">{t(analysisOf(k).hint)}</small>}
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
        {chosen.perCounty && (
          <p className="analysis-county">
            {t('analysisCounty')}: <strong>{area ? l(area.name) : t('needCounty')}</strong> <span className="muted">{t('analysisCountyHint')}</span>
          </p>
        )}
        <chosen.Form
          draft={drafts[kind]}
          layers={props.layers}
          onChange={(draft: unknown) => onDrafts({ ...drafts, [kind]: draft })}
          picking={props.picking}
          onPicking={props.onPicking}
          selected={props.selected}
        />
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
            problem && <span className="muted">{t(problem)}</span>
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
      {chosen.WithForm && props.areaCode && (
        <chosen.WithForm
          county={props.areaCode}
          areaName={area ? l(area.name) : props.areaCode}
          run={run}
          solved={analysis.solved}
          session={analysis.sessions[kind]}
          restore={(r) => analysis.restore(r as AnalysisRun)}
        />
      )}
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
  const entry = analysisOf(run.kind);
  const tables = useMemo(() => runTables(run, layers, i18n), [run, layers, i18n]);
  const chart = useMemo(() => runChart(run, i18n), [run, i18n]);
  const legend = useMemo(() => runLegend(run, i18n), [run, i18n]);
  const county = runCounty(run);
  const area = county ? areas.find((a) => a.code === county) : undefined;
  // A new result whose start is out of sight (the panel scrolled to the form or the table) is scrolled to.
  const top = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const body = top.current?.closest('.panel-body');
    if (!body) return;
    const offset = top.current!.getBoundingClientRect().top - body.getBoundingClientRect().top;
    if (offset < 0 || offset > body.clientHeight * 0.6) body.scrollTop += offset - 8;
  }, [run]);
  const csv = (table: AnyTable) =>
    download(exportName(run, `${runFileName(run)}-${table.id}`, 'csv'), tableCsv(table, i18n), 'text/csv;charset=utf-8');

  return (
    <div className="analysis-results" data-testid="analysis-results" data-kind={run.kind} ref={top}>
      <header>
        <h3 data-testid="analysis-title">
          {runTitle(run, i18n)}
          {area && <span className="muted"> · {l(area.name)}</span>}
        </h3>
        {run.ms > 0 && (
          <span className="muted" data-testid="run-time">
            {t('tookSeconds', { seconds: n(run.ms / 1000, 2) })}
          </span>
        )}
      </header>
      <AnalysisNotes notes={networkNotesOf(run.data)} />
      <Summary summary={runSummary(run, i18n)} />
      <AnalysisLegend groups={legend} />
      <div className="result-actions">
        <button type="button" onClick={onFit}>
          {t('fitResult')}
        </button>
        <ExportMenu id="result" label={t('exportResult')} run={(format, crs) => exportCollection(resultGeoJson(run, adminUnits), resultName(run, runFileName(run)), format, crs)} />
        {tables.map((table) => (
          <button key={table.id} type="button" data-testid={`export-csv-${table.id}`} onClick={() => csv(table)}>
            {t('exportCsv', { table: table.title })}
          </button>
        ))}
        <button type="button" className="danger" data-testid="clear-results" onClick={onClear}>
          {t('clearResults')}
        </button>
      </div>
      {entry.Results && analysis.solved && (
        <entry.Results
          run={run}
          solved={analysis.solved}
          session={analysis.session}
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
          rowAction={entry.rowAction?.(table.id, analysis.session, i18n)}
        />
      ))}
    </div>
  );
}

/** The run's headline figures and the basis it applied. */
function Summary({ summary: { lines, details, basis } }: { summary: RunSummary }) {
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
