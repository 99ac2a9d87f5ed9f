/**
 * The assessment of the incident, section by section: what reaches it first (per resource group,
 * ranked by ETA, with distance and tier; a click shows the route), roads cut, whether supplies and
 * shelter places are enough, what is threatened, who must be warned (CSV), and the dispatch sheet.
 */
import { useState } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { AssessmentRequest, ClosestGroupKey, IncidentAssessment } from '../../../core/incident/schema';
import { useConfig } from '../api/config';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import { download } from '../export';
import { useI18n, type I18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { noteText } from '../i18n/notes';
import type { Note } from '../../../core/note';
import { AnalysisNotes } from '../panels/AnalysisNotes';
import { ResultTable } from '../panels/ResultTable';
import type { IncidentDraft } from './draft';
import { distance, eta, rateSource, tierLabel } from './format';
import { GROUP_STYLE, itemFacts } from './groups';
import { itemKey, type Sketch } from './incidentLayers';
import { fetchWarningsCsv } from './api';
import { HAZARD_NAME } from './hazards';
import { errorText, messageText } from './serverMessages';
import { geohazardsTable, itemLabel, suppliesTable, townsTable, warnTable } from './tables';
import { warningsCsv, warnRows } from './warnings';

/** What a click on the map does while the sheet asks for one. */
export type PickMode = 'origin' | 'point' | 'line' | 'area';

interface Props {
  draft: IncidentDraft;
  title: string;
  request?: AssessmentRequest;
  assessment: UseQueryResult<IncidentAssessment>;
  layers: Layer[];
  adminUnits?: FeaturePage;
  position?: [number, number];
  selected?: string;
  onSelect(group: ClosestGroupKey, id: string): void;
  pick: PickMode | null;
  sketch?: Sketch;
  onPick(mode: PickMode): void;
  onFinishSketch(): void;
  onCancelPick(): void;
  onRemoveClosure(index: number): void;
}

const CLOSURE_KIND: Record<string, MessageKey> = { Point: 'incClosurePoint', LineString: 'incClosureLine', Polygon: 'incClosureArea' };
const UNSUITABLE: Record<string, MessageKey> = {
  not_rated_for_hazard: 'incUnsuitableNotRated',
  near_geohazard: 'incUnsuitableNearGeohazard',
  in_hazard_zone: 'incUnsuitableInZone',
  closed: 'incUnsuitableClosed',
};

/** Why a shelter is not to be used: the zone's Note when a hazard zone rules it out, else the reason's message. */
const unsuitableText = (reason: string, why: Note | undefined, i18n: I18n): string => (why ? noteText(why, i18n) : i18n.t(UNSUITABLE[reason] ?? 'incUnsuitableClosed'));
const AFFECTED_METHOD: Record<string, MessageKey> = { typed: 'incAffectedTyped', radius: 'incAffectedRadius', drive: 'incAffectedDrive', walk: 'incAffectedWalk' };

/** The closures as lines of text: kind and how many road links each closed. */
function closureLines(draft: IncidentDraft, a: IncidentAssessment | undefined, { t }: I18n): string[] {
  return draft.closures.map((c, i) => {
    const report = a?.closest.closures.find((r) => r.index === i);
    const kind = t(CLOSURE_KIND[c.geometry.type]);
    if (!report) return t('incClosurePending', { index: i + 1, kind });
    return report.linksClosed > 0 ? t('incClosureApplied', { index: i + 1, kind, links: report.linksClosed }) : t('incClosureNoRoad', { index: i + 1, kind });
  });
}

/** The headline figures: persons affected and how, the area, the shelter places, the threatened. */
function factLines(draft: IncidentDraft, a: IncidentAssessment, i18n: I18n): string[] {
  const { t, n } = i18n;
  const method = t(AFFECTED_METHOD[a.affected.method] ?? 'incAffectedTyped', {
    m: 'radiusM' in a.area ? n(a.area.radiusM, 0) : '',
    minutes: 'driveMinutes' in a.area ? a.area.driveMinutes : 'walkMinutes' in a.area ? a.area.walkMinutes : '',
  });
  const s = a.shelterPlaces;
  return [
    t('incFactAffected', { persons: n(a.affected.persons, 0), method }),
    s.shortfall > 0
      ? t('incFactSheltersShort', { places: n(s.places, 0), toEvacuate: n(s.toEvacuate, 0), shortfall: n(s.shortfall, 0), minutes: s.walkMinutes, shelters: s.shelters })
      : t('incFactSheltersEnough', { places: n(s.places, 0), toEvacuate: n(s.toEvacuate, 0), minutes: s.walkMinutes, shelters: s.shelters }),
    t('incFactThreatened', { residents: n(a.threatened.residents, 0), towns: a.threatened.towns.length, geohazards: a.threatened.geohazards.length, persons: n(a.threatened.geohazards.reduce((x, g) => x + g.threatenedPersons, 0), 0) }),
    ...(a.closest.origin.snapDistanceM > 0 ? [t('incFactSnap', { m: n(a.closest.origin.snapDistanceM, 0) })] : []),
    ...(draft.createdBy ? [] : [t('incFactUnsaved')]),
  ];
}

export function IncidentSheet(props: Props) {
  const i18n = useI18n();
  const { t, n } = i18n;
  const config = useConfig();
  const { draft, assessment, layers } = props;
  // A failed request shows its error, not the previous place's answer.
  const a = assessment.data && props.request && !assessment.isError ? assessment.data : undefined;
  const [busy, setBusy] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const computing = assessment.isFetching;

  if (!props.request) return <p className="muted hint incident-hint">{t('incPlaceFirst')}</p>;

  const rows = a ? warnRows(a.warn, i18n) : [];
  const date = new Date().toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' });
  const fileBase = `incident-${draft.id ?? 'unsaved'}`;

  const exportCsv = async () => {
    if (!a) return;
    setFileError(null);
    try {
      if (draft.id && !draft.dirty) {
        const { blob, name } = await fetchWarningsCsv(draft.id);
        download(name ?? `${fileBase}-warnings.csv`, blob);
      } else download(`${fileBase}-warnings.csv`, warningsCsv(rows, i18n), 'text/csv;charset=utf-8');
    } catch (err) {
      setFileError(errorText(err as Error, i18n));
    }
  };

  const exportSheet = async (format: 'pdf' | 'png') => {
    if (!a || !props.position) return;
    setBusy(format);
    setFileError(null);
    try {
      const occurred = new Date(draft.occurredAt).toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
      // The sheet's drawing and the PDF writer load only when a sheet is printed.
      const [{ drawDispatch }, { reportPdf, reportPng }] = await Promise.all([import('./dispatch'), import('../report/report')]);
      const canvas = drawDispatch(
        {
          title: t('incDispatchTitle', { title: props.title }),
          question: t('incDispatchQuestion', {
            hazard: t(HAZARD_NAME[draft.hazard]),
            time: occurred,
            lon: n(props.position[0], 5),
            lat: n(props.position[1], 5),
          }),
          date,
          author: draft.createdBy ?? t('roles_commander'),
          demo: config.data?.demo ? t('demoNotice') : undefined,
          assessment: a,
          position: props.position,
          closures: draft.closures,
          closureLines: closureLines(draft, a, i18n),
          warnRows: rows,
          factLines: factLines(draft, a, i18n),
          adminUnits: props.adminUnits,
          layers,
        },
        i18n,
      );
      const file = format === 'png' ? await reportPng(canvas) : await reportPdf(canvas, t('incDispatchTitle', { title: props.title }));
      download(`${fileBase}-dispatch.${format}`, file);
    } catch (err) {
      setFileError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  // The assessment repeats some of the search's notes: each is shown once.
  const messages = a ? [...new Map([...a.messages, ...a.closest.messages].map((m) => [`${m.code}/${JSON.stringify(m.params)}`, m])).values()] : [];
  const supplies = a && suppliesTable(a, layers, i18n);

  return (
    <div className="incident-results" data-testid="incident-results" data-state={computing ? 'computing' : a ? 'ready' : 'none'}>
      <div className="run-row">
        <span className="run-status" role="status" data-testid="incident-status">
          {computing ? (
            <>
              <span className="spinner" aria-hidden /> {t('incComputing')}
            </>
          ) : a ? (
            t('incComputed', { ms: n(a.closest.searchMs, 0) })
          ) : null}
        </span>
      </div>
      {assessment.error && !computing && (
        <p className="error" role="alert" data-testid="incident-error">
          {errorText(assessment.error, i18n)}
        </p>
      )}

      {a && (
        <>
          <ul className="incident-facts" data-testid="incident-facts">
            {factLines(draft, a, i18n).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>

          <section className="incident-section" data-testid="incident-closures">
            <h3>{t('incRoadsCut')}</h3>
            <p className="muted hint">{t('incRoadsCutHint')}</p>
            <div className="incident-tools">
              {(['point', 'line', 'area'] as const).map((mode) => (
                <button key={mode} type="button" data-testid={`closure-${mode}`} aria-pressed={props.pick === mode} onClick={() => (props.pick === mode ? props.onCancelPick() : props.onPick(mode))}>
                  {t(mode === 'point' ? 'incClosePoint' : mode === 'line' ? 'incCloseLine' : 'incCloseArea')}
                </button>
              ))}
            </div>
            {(props.pick === 'point' || props.pick === 'line' || props.pick === 'area') && (
              <p className="incident-drawing" role="status" data-testid="closure-drawing">
                {t(props.pick === 'point' ? 'incDrawPoint' : props.pick === 'line' ? 'incDrawLine' : 'incDrawArea', { count: props.sketch?.vertices.length ?? 0 })}
                {props.pick !== 'point' && (
                  <button
                    type="button"
                    className="primary"
                    data-testid="closure-finish"
                    disabled={(props.sketch?.vertices.length ?? 0) < (props.pick === 'line' ? 2 : 3)}
                    onClick={props.onFinishSketch}
                  >
                    {t('incDrawFinish')}
                  </button>
                )}
                <button type="button" onClick={props.onCancelPick}>
                  {t('cancel')}
                </button>
              </p>
            )}
            <ul className="incident-closure-list" data-testid="closure-list">
              {closureLines(draft, a, i18n).map((line, i) => (
                <li key={i}>
                  <span>{line}</span>
                  <button type="button" className="remove" title={t('incRemoveClosure')} aria-label={t('incRemoveClosure')} onClick={() => props.onRemoveClosure(i)}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </section>

          <section className="incident-section" data-testid="incident-resources">
            <h3>{t('incResources')}</h3>
            <p className="muted hint">{t('incResourcesHint')}</p>
            {a.closest.groups.filter((g) => g.items.length + g.reachable + g.unreachable > 0).map((g) => (
              <div key={g.key} className="incident-group" data-group={g.key} data-testid={`group-${g.key}`}>
                <h4>
                  <span className="swatch" style={{ background: GROUP_STYLE[g.key].color }} aria-hidden />
                  {t(GROUP_STYLE[g.key].name)}
                  <span className="muted"> {t('incGroupCount', { shown: g.items.length, reachable: g.reachable, minutes: a.closest.maxMinutes })}</span>
                </h4>
                {g.items.length === 0 && <p className="muted">{t('incGroupNone', { minutes: a.closest.maxMinutes })}</p>}
                <ol>
                  {g.items.map((item, k) => {
                    const facts = itemFacts(layers, g.layer, g.key, item.properties, i18n);
                    const chosen = props.selected === itemKey(g.key, item.id);
                    return (
                      <li key={item.id} className={chosen ? 'chosen' : undefined} data-item={item.id}>
                        <button type="button" className="incident-item" aria-pressed={chosen} onClick={() => props.onSelect(g.key, item.id)}>
                          <span className="rank">{k + 1}</span>
                          <span className="name">{item.name}</span>
                          <span className="eta" data-testid="eta">
                            {eta(item.etaMinutes, i18n)}
                          </span>
                          <span className="dist">{distance(item.distanceM, i18n)}</span>
                          <span className={`tier tier-${item.tier ?? 'beyond'}`}>{tierLabel(item.tier, i18n)}</span>
                        </button>
                        {typeof item.properties.suitable === 'boolean' && (
                          <p className={item.properties.suitable ? 'facts' : 'facts bad-line'} data-testid="suitability">
                            {item.properties.suitable
                              ? t('incSuitable', { hazard: t(HAZARD_NAME[draft.hazard]) })
                              : t('incNotSuitable', { reason: unsuitableText(String(item.properties.unsuitableReason), item.properties.unsuitableNote as Note | undefined, i18n) })}
                          </p>
                        )}
                        {facts.length > 0 && (
                          <p className="facts">
                            {facts.map((f) => (
                              <span key={f.field}>{t('incFieldValue', { label: f.label, value: f.text })}</span>
                            ))}
                          </p>
                        )}
                      </li>
                    );
                  })}
                </ol>
                {g.unreachable > 0 && <p className="muted">{t('incGroupUnreachable', { count: g.unreachable, minutes: a.closest.maxMinutes })}</p>}
              </div>
            ))}
          </section>

          <section className="incident-section" data-testid="incident-enough">
            <h3>{t('incEnough')}</h3>
            <p className="hint">{t('incSuppliesFor', { persons: n(a.affected.persons, 0), days: a.supply.days })}</p>
            {supplies && <ResultTable table={supplies} />}
            <details className="incident-rates">
              <summary>{t('incRates')}</summary>
              <ul>
                {a.supply.rates.map((r) => {
                  // The catalogue's unit in the reader's language (顶, 床, 箱), the server's otherwise.
                  const label = itemLabel(layers, r.item, i18n);
                  return (
                    <li key={r.item}>
                      {t(r.perDay ? 'incRatePerDay' : 'incRate', { item: label.name, rate: n(r.perPerson, 3), unit: label.unit || r.unit })}
                      <span className="muted"> — {rateSource(r, i18n)}</span>
                    </li>
                  );
                })}
              </ul>
            </details>
            <p className={a.shelterPlaces.shortfall > 0 ? 'bad-line' : undefined} data-testid="incident-shelter-places">
              {a.shelterPlaces.shortfall > 0
                ? t('incFactSheltersShort', { places: n(a.shelterPlaces.places, 0), toEvacuate: n(a.shelterPlaces.toEvacuate, 0), shortfall: n(a.shelterPlaces.shortfall, 0), minutes: a.shelterPlaces.walkMinutes, shelters: a.shelterPlaces.shelters })
                : t('incFactSheltersEnough', { places: n(a.shelterPlaces.places, 0), toEvacuate: n(a.shelterPlaces.toEvacuate, 0), minutes: a.shelterPlaces.walkMinutes, shelters: a.shelterPlaces.shelters })}
            </p>
          </section>

          <section className="incident-section" data-testid="incident-threatened">
            <h3>{t('incThreatened')}</h3>
            <p>{t('incThreatenedResidents', { residents: n(a.threatened.residents, 0) })}</p>
            {a.threatened.towns.length > 0 && <ResultTable table={townsTable(a, i18n)} />}
            {a.threatened.geohazards.length > 0 ? <ResultTable table={geohazardsTable(a, layers, i18n)} /> : <p className="muted">{t('incNoGeohazards')}</p>}
            {a.threatened.unsuitableShelters.length > 0 && (
              <>
                <h4>{t('incUnsuitableShelters', { count: a.threatened.unsuitableShelters.length })}</h4>
                <ul className="incident-unsuitable">
                  {a.threatened.unsuitableShelters.map((s) => (
                    <li key={s.id}>
                      {s.name} <span className="muted">— {unsuitableText(s.reason, s.note, i18n)}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>

          <section className="incident-section" data-testid="incident-warn">
            <h3>{t('incWarnings')}</h3>
            <ResultTable table={warnTable(rows, i18n)} />
            <div className="result-actions">
              <button type="button" data-testid="incident-warn-csv" onClick={exportCsv}>
                {t('incWarnCsv')}
              </button>
            </div>
          </section>

          <section className="incident-section" data-testid="incident-dispatch">
            <h3>{t('incDispatch')}</h3>
            <div className="result-actions">
              <button type="button" data-testid="dispatch-pdf" disabled={busy !== null || computing} onClick={() => exportSheet('pdf')}>
                {t('incDispatchPdf')}
              </button>
              <button type="button" data-testid="dispatch-png" disabled={busy !== null || computing} onClick={() => exportSheet('png')}>
                {t('incDispatchPng')}
              </button>
              {busy && (
                <span className="muted" role="status">
                  <span className="spinner" aria-hidden /> {t('reportMaking')}
                </span>
              )}
            </div>
          </section>
          {fileError && (
            <p className="error" role="alert">
              {fileError}
            </p>
          )}

          <AnalysisNotes notes={a.closest.networkNotes ?? []} />
          {messages.length > 0 && (
            <ul className="incident-messages" data-testid="incident-messages">
              {messages.map((m) => (
                <li key={`${m.code}/${JSON.stringify(m.params)}`}>{messageText(m, i18n)}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
