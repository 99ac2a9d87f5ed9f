/**
 * What the planner does with a siting answer: what-if (drag, remove or add sites; the answer for
 * exactly those sites, and how far it is from the optimum; back to the optimum in one click),
 * before/after maps, and the one-page report as PNG or PDF.
 */
import { useState } from 'react';
import type { Area } from '../../api/areas';
import { useConfig } from '../../api/config';
import type { FeaturePage } from '../../api/features';
import type { Layer } from '../../api/layers';
import { download, exportName } from '../../export';
import { useI18n, type I18n } from '../../i18n';
import { CompareMaps } from '../../panels/CompareMaps';
import { mapImage } from '../../report/mapImage';
import { drawReport, reportPdf, reportPng, REPORT_MAP, type ReportContent, type ReportLine } from '../../report/report';
import type { ResultsProps } from '../types';
import { fromOptimum, type SitingRun } from './goals';
import { gainingTowns, lscpHeadline, MODE_LABEL, question, serviceMinutes } from './reportText';
import { DRAW_LIMIT, scopeLines, sitingLegend, sitingTables, sitingText } from './view';
import type { SitingPlan } from './usePlan';

/** The optimality line: proven optimal, feasible within a gap, or a what-if and its distance from the optimum. */
function optimality(run: SitingRun, solved: SitingRun, i18n: I18n): ReportLine[] {
  const { t, n } = i18n;
  const d = run.data;
  if (d.status !== 'evaluated') {
    return [d.status === 'optimal' ? { text: t('sitingOptimal', { seconds: n(d.seconds, 2) }), color: '#1b5e20' } : { text: t('sitingFeasible', { gap: d.gap === null ? '—' : n(d.gap * 100, 2), seconds: n(d.seconds, 2) }) }];
  }
  const lines: ReportLine[] = [{ text: t('whatIfEvaluated', { count: d.chosen.length }), strong: true, color: '#e65100' }];
  const far = fromOptimum(run.body.model, d.objective, solved.data.objective);
  if (far) {
    const share = far.share === null ? '—' : n(far.share * 100, 1);
    if (run.body.model === 'mclp') {
      const persons = n(Math.abs(far.difference), 0);
      lines.push({ text: far.difference === 0 ? t('whatIfAsOptimum') : far.worse ? t('whatIfFewer', { persons, share }) : t('whatIfMore', { persons, share }) });
    } else {
      lines.push({
        text: t(far.difference === 0 ? 'whatIfAsOptimum' : far.worse ? 'whatIfWorse' : 'whatIfBetter', { value: n(d.objective ?? 0, 0), optimum: n(solved.data.objective ?? 0, 0), meaning: sitingText(d.objectiveMeaning, i18n), share }),
      });
    }
  }
  return lines;
}

/** Rows shown in the report's tables. */
const REPORT_SITES = 12;
const REPORT_TOWNS = 10;

async function buildReport(run: SitingRun, solved: SitingRun, layers: Layer[], area: Area | undefined, adminUnits: FeaturePage | undefined, demo: boolean, i18n: I18n): Promise<HTMLCanvasElement> {
  const { t, n, l } = i18n;
  const d = run.data;
  let map: HTMLCanvasElement | undefined;
  let mapProblem: string | undefined;
  if (area) {
    try {
      map = await mapImage(d, adminUnits, area.bbox, REPORT_MAP.width, REPORT_MAP.height, t('mapNorth'));
    } catch (err) {
      mapProblem = (err as Error).message;
    }
  } else mapProblem = t('needCounty');
  const [sites, towns] = sitingTables(run, layers, i18n);
  const gaining = gainingTowns(run);
  const date = new Date().toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' });
  const content: ReportContent = {
    title: t('reportTitle', { area: area ? l(area.name) : run.body.county }),
    question: question(run, t, n),
    date,
    demo: demo ? t('demoNotice') : undefined,
    map,
    mapProblem,
    legend: sitingLegend(i18n),
    facts: [
      {
        heading: t('reportBasis'),
        lines: [
          { text: sitingText(d.parameters.basis, i18n) },
          ...(d.parameters.urbanRural?.rules ?? []).map((rule) => ({ text: sitingText(rule, i18n) })),
          { text: t('reportThreshold', { minutes: serviceMinutes(run, t, n), mode: t(MODE_LABEL[run.body.mode]) }) },
        ],
      },
      {
        heading: t('reportTotals'),
        lines: [
          ...(run.body.model === 'lscp' && d.status !== 'evaluated' ? [{ text: lscpHeadline(run, i18n), strong: true }] : []),
          { text: t('sitingExisting', { count: d.existing }) },
          ...scopeLines(run, i18n).map((text) => ({ text })),
          { text: t('sitingBefore', { covered: n(d.before.covered, 0), share: n(d.before.share * 100, 1) }) },
          { text: t('sitingAfter', { covered: n(d.after.covered, 0), share: n(d.after.share * 100, 1), added: n(d.after.covered - d.before.covered, 0) }), strong: true },
        ],
      },
      { heading: t('reportOptimality'), lines: optimality(run, solved, i18n) },
    ],
    sites: {
      title: t('tableSites'),
      table: { ...sites, rows: sites.rows.slice(0, REPORT_SITES) },
      more: sites.rows.length > REPORT_SITES ? t('reportMore', { count: sites.rows.length - REPORT_SITES }) : undefined,
    },
    towns: {
      title: gaining.length ? t('reportTowns', { count: Math.min(REPORT_TOWNS, gaining.length) }) : t('reportNoGain'),
      table: { ...towns, columns: towns.columns.filter((c) => c.key !== 'code'), rows: gaining.slice(0, REPORT_TOWNS) },
      more: gaining.length > REPORT_TOWNS ? t('reportMoreTowns', { count: gaining.length - REPORT_TOWNS }) : undefined,
    },
    footer: t('reportFooter', { date }) + (demo ? ` · ${t('demoNoticeDetail')}` : ''),
  };
  return drawReport(content, i18n);
}

export function SitingPlanner({ run, solved, session, layers, areas, adminUnits, picking, onPicking }: ResultsProps<SitingRun>) {
  const plan = session as SitingPlan;
  const i18n = useI18n();
  const { t, l } = i18n;
  const config = useConfig();
  const county = run.body.county;
  const area = areas.find((a) => a.code === county);
  const [comparing, setComparing] = useState(false);
  const [reporting, setReporting] = useState<string | null>(null);
  const [reportError, setReportError] = useState<string | null>(null);
  const whatIf = Boolean(plan.sites);

  const exportReport = async (format: 'png' | 'pdf') => {
    setReporting(format);
    setReportError(null);
    try {
      const canvas = await buildReport(run, solved, layers, area, adminUnits, config.data?.demo ?? false, i18n);
      const title = t('reportTitle', { area: area ? l(area.name) : county });
      const file = format === 'png' ? await reportPng(canvas) : await reportPdf(canvas, title);
      download(exportName(run, 'siting-report', format), file);
    } catch (err) {
      setReportError((err as Error).message);
    } finally {
      setReporting(null);
    }
  };

  const count = run.data.chosen.length;
  return (
    <div className="siting-planner">
      {run.body.model === 'lscp' && solved.data.status !== 'evaluated' && (
        <p className="siting-headline" data-testid="lscp-headline">
          <strong>{lscpHeadline(solved, i18n)}</strong>
        </p>
      )}
      {count > DRAW_LIMIT && (
        <div className="siting-many" role="alert" data-testid="siting-many">
          <p>{t('lscpManyWarning', { count: i18n.n(count, 0), limit: DRAW_LIMIT })}</p>
          <button type="button" data-testid="draw-all-sites" aria-pressed={plan.drawAll} onClick={() => plan.setDrawAll(!plan.drawAll)}>
            {plan.drawAll ? t('lscpDrawTop', { limit: DRAW_LIMIT }) : t('lscpDrawAll', { count: i18n.n(count, 0) })}
          </button>
        </div>
      )}
      <div className={`what-if${whatIf ? ' active' : ''}`} data-testid="what-if" data-state={whatIf ? 'what-if' : 'optimum'}>
        <strong>{t('whatIf')}</strong> <span className="muted">{t('whatIfHint')}</span>
        <ul className="what-if-status" data-testid="what-if-status">
          {whatIf ? (
            optimality(run, solved, i18n).map((line) => (
              <li key={line.text} className={line.strong ? 'strong' : undefined}>
                {line.text}
              </li>
            ))
          ) : (
            <li>{t('whatIfOptimum')}</li>
          )}
        </ul>
        {plan.pending && (
          <p className="muted" data-testid="what-if-pending">
            <span className="spinner" aria-hidden /> {t('whatIfRunning')}
          </p>
        )}
        {plan.error && (
          <p className="error" role="alert" data-testid="what-if-error">
            {plan.error.message}
          </p>
        )}
        <div className="what-if-actions">
          <button type="button" data-testid="add-manual-site" aria-pressed={picking} onClick={() => onPicking(!picking)}>
            {picking ? t('pickingSite') : t('addManualSite')}
          </button>
          <button type="button" data-testid="reset-optimum" disabled={!whatIf} onClick={plan.reset}>
            {t('resetOptimum')}
          </button>
        </div>
      </div>

      <div className="result-actions">
        <button type="button" data-testid="open-compare" disabled={!area} onClick={() => setComparing(true)}>
          {t('compareOpen')}
        </button>
        <button type="button" data-testid="export-report-png" disabled={reporting !== null} onClick={() => exportReport('png')}>
          {t('reportPng')}
        </button>
        <button type="button" data-testid="export-report-pdf" disabled={reporting !== null} onClick={() => exportReport('pdf')}>
          {t('reportPdf')}
        </button>
        {reporting && (
          <span className="muted" role="status">
            <span className="spinner" aria-hidden /> {t('reportMaking')}
          </span>
        )}
      </div>
      {reportError && (
        <p className="error" role="alert">
          {reportError}
        </p>
      )}

      {comparing && area && <CompareMaps result={run.data} adminUnits={adminUnits} bbox={area.bbox} title={t('compareTitle', { area: l(area.name) })} onClose={() => setComparing(false)} />}
    </div>
  );
}

