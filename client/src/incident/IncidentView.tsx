/**
 * The commander's incident view (事件): a top-bar button and, when open, a sheet at the right of
 * the map. The commander places an incident (click on the map, a searched place, typed
 * coordinates in WGS84/GCJ-02/BD-09, or a geohazard point), says what and when and how many people,
 * and reads what can reach it first, whether it is enough, what is threatened and who must be
 * warned; marks blocked roads; stores, reopens and closes incidents; prints the dispatch sheet.
 *
 * Self-contained: it reads the catalogue, the areas and the towns through the shared queries, and
 * hands App only what goes on the map (`onMap`: its deck.gl layers and, while placing or drawing,
 * the map-click handler). App mounts it for a commander or an admin.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Point } from 'geojson';
import { INCIDENT_HAZARDS, type Incident } from '../../../core/incident/schema';
import { useLayersFeatures } from '../api/features';
import { useLayers } from '../api/layers';
import { useI18n } from '../i18n';
import type { AnalysisDeck } from '../map/analysisLayers';
import { mapPadding } from '../map/camera';
import { assessmentRequest, createBody, draftProblem, fromIncident, newDraft, patchBody, type IncidentDraft } from './draft';
import { incidentDeck, itemKey, type Sketch } from './incidentLayers';
import { PlaceForm } from './PlaceForm';
import { IncidentSheet } from './IncidentSheet';
import { useAssessment, useIncidents, useSaveIncident } from './api';
import { errorText } from './serverMessages';
import { HAZARD_NAME } from './hazards';
import './incident.css';
import { layerWithRole } from '../../../core/catalogue/roles';
import { COUNTY_FIELD } from '../../../core/catalogue/layers';
import type { PickMode } from './IncidentSheet';

const BOUNDARY_LAYER = layerWithRole('boundary').id;

/** What the view puts on the map: its layers, and the click handler while it takes clicks. */
export interface IncidentMapState {
  deck: AnalysisDeck;
  onPickPoint?: (lonLat: [number, number]) => void;
}

interface Props {
  map: MaplibreMap | null;
  /** The county chosen in the top bar: the geohazard picker offers its points only. */
  areaCode?: string;
  onMap(state: IncidentMapState | undefined): void;
}


/** Room kept between a fitted route and the panels around it (px). */
const MARGIN = 40;

/** Fits a route (and the incident) into the part of the map the sheet does not cover. */
function fitInView(map: MaplibreMap, points: [number, number][]): void {
  const padding = mapPadding(map, false);
  const sheet = document.querySelector('.incident-sheet')?.getBoundingClientRect();
  const box = map.getContainer().getBoundingClientRect();
  // The top bar wraps to two rows on a narrower screen.
  padding.top = Math.max(padding.top, Math.round(topbarBottom() - box.top) + MARGIN);
  if (sheet && box.width >= 720) padding.right = Math.round(box.right - sheet.left) + MARGIN;
  else if (sheet) padding.bottom = Math.round(box.bottom - sheet.top) + MARGIN;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  map.fitBounds(
    [
      [Math.min(...xs), Math.min(...ys)],
      [Math.max(...xs), Math.max(...ys)],
    ],
    { padding, duration: 900, maxZoom: 15 },
  );
}

const topbarBottom = () => document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 64;

/** Where the sheet starts: below the top bar, however many rows it wraps to. */
function useSheetTop(open: boolean): number {
  const [top, setTop] = useState(72);
  useEffect(() => {
    const bar = document.querySelector('.topbar');
    if (!open || !bar) return;
    const measure = () => setTop(Math.round(topbarBottom()) + 8);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(bar);
    return () => observer.disconnect();
  }, [open]);
  return top;
}

export function IncidentView({ map, areaCode, onMap }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const layersQuery = useLayers();
  const layers = useMemo(() => layersQuery.data?.layers ?? [], [layersQuery.data]);
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<IncidentDraft>(newDraft);
  const [pick, setPick] = useState<PickMode | null>(null);
  const [sketch, setSketch] = useState<Sketch>();
  const [selected, setSelected] = useState<string>();
  const [showClosed, setShowClosed] = useState(false);
  const sheetTop = useSheetTop(open);
  const [formOpen, setFormOpen] = useState(true);
  const [adminPage, geohazardPage] = useLayersFeatures([
    { layerId: BOUNDARY_LAYER, filters: {}, enabled: open },
    { layerId: 'geohazards', filters: areaCode ? { [COUNTY_FIELD]: [areaCode] } : {}, enabled: open && layers.some((l) => l.id === 'geohazards') },
  ]);
  const openList = useIncidents('open', open);
  const closedList = useIncidents('closed', open);
  const save = useSaveIncident();

  const request = useMemo(() => (open ? assessmentRequest(draft) : undefined), [open, draft]);
  const assessment = useAssessment(request);
  // Shown only while it answers this incident's place (a previous answer stays while a closure recomputes).
  const data = assessment.data && draft.origin && !assessment.isError ? assessment.data : undefined;
  // Memoised on the numbers: a new array each render would redraw the map part, which re-renders this view.
  const [lon, lat] = data ? [data.closest.origin.lon, data.closest.origin.lat] : draft.origin && draft.crs === 'wgs84' ? draft.origin : [undefined, undefined];
  const position = useMemo<[number, number] | undefined>(() => (lon === undefined || lat === undefined ? undefined : [lon, lat]), [lon, lat]);

  const update = useCallback((change: Partial<IncidentDraft>) => setDraft((d) => ({ ...d, ...change, dirty: true })), []);

  const onPickPoint = useCallback(
    (p: [number, number]) => {
      if (pick === 'origin') {
        update({ origin: p, crs: 'wgs84', placeName: undefined });
        setPick(null);
      } else if (pick === 'point') {
        setDraft((d) => ({ ...d, dirty: true, closures: [...d.closures, { type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }] }));
        setPick(null);
      } else if (pick === 'line' || pick === 'area') {
        setSketch((s) => ({ kind: pick, vertices: [...(s?.kind === pick ? s.vertices : []), p] }));
      }
    },
    [pick, update],
  );

  const finishSketch = useCallback(() => {
    if (!sketch) return;
    const v = sketch.vertices;
    if (sketch.kind === 'line' && v.length >= 2) {
      setDraft((d) => ({ ...d, dirty: true, closures: [...d.closures, { type: 'Feature', geometry: { type: 'LineString', coordinates: v }, properties: {} }] }));
    } else if (sketch.kind === 'area' && v.length >= 3) {
      setDraft((d) => ({ ...d, dirty: true, closures: [...d.closures, { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...v, v[0]]] }, properties: {} }] }));
    }
    setSketch(undefined);
    setPick(null);
  }, [sketch]);

  const cancelPick = useCallback(() => {
    setSketch(undefined);
    setPick(null);
  }, []);

  const deck = useMemo(() => incidentDeck({ assessment: data, position, selected, closures: draft.closures, sketch }), [data, position, selected, draft.closures, sketch]);
  useEffect(() => {
    onMap(open ? { deck, onPickPoint: pick ? onPickPoint : undefined } : undefined);
  }, [open, deck, pick, onPickPoint, onMap]);
  useEffect(() => () => onMap(undefined), [onMap]);

  // Escape ends placing or drawing.
  useEffect(() => {
    if (!pick) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') cancelPick();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pick, cancelPick]);

  // A new place is shown with its routes once they are in.
  const fitted = useRef<unknown>(undefined);
  useEffect(() => {
    if (!map || !data || !position || fitted.current === draft.origin) return;
    fitted.current = draft.origin;
    const nearest = data.closest.groups.flatMap((g) => g.items.slice(0, 1).flatMap((i) => i.route));
    fitInView(map, [position, ...nearest]);
  }, [map, data, position, draft.origin]);

  const onSelectItem = (group: Parameters<typeof itemKey>[0], id: string) => {
    const key = itemKey(group, id);
    setSelected(key);
    const route = data?.closest.groups.find((g) => g.key === group)?.items.find((i) => i.id === id)?.route;
    if (map && route && route.length > 0) fitInView(map, route);
  };

  // The default title names the place: as searched or picked, else the town with most residents in the area, else the coordinates.
  const town = data && [...data.threatened.towns].sort((x, y) => y.residents - x.residents)[0]?.name;
  const place = draft.placeName ?? town ?? (position ? `${i18n.n(position[0], 4)}, ${i18n.n(position[1], 4)}` : t('incUnnamedPlace'));
  const title = draft.title.trim() || t('incDefaultTitle', { hazard: t(HAZARD_NAME[draft.hazard]), place });

  const store = () => {
    if (!draft.origin || draftProblem(draft, true)) return;
    const body = draft.id ? { id: draft.id, patch: patchBody(draft, title) } : { create: createBody(draft, title) };
    save.mutate(body, {
      onSuccess: (saved) => {
        setDraft((d) => ({ ...fromIncident(saved), placeName: d.placeName }));
        setFormOpen(false);
      },
    });
  };
  const setStatus = (incident: Pick<Incident, 'id' | 'version'>, status: 'open' | 'closed') =>
    save.mutate(
      { id: incident.id, patch: { version: incident.version, status } },
      { onSuccess: (saved) => setDraft((d) => (d.id === saved.id ? { ...fromIncident(saved), placeName: d.placeName } : d)) },
    );
  const reopen = (incident: Incident) => {
    cancelPick();
    setSelected(undefined);
    fitted.current = undefined;
    setDraft(fromIncident(incident));
    setFormOpen(false);
  };
  const startNew = () => {
    cancelPick();
    setSelected(undefined);
    save.reset();
    setDraft(newDraft());
    setFormOpen(true);
  };

  const geohazards = useMemo(
    () =>
      (geohazardPage.data?.features ?? [])
        .filter((f) => f.geometry?.type === 'Point')
        .map((f) => ({ id: f.id, name: String(f.properties.name ?? f.id), town: String(f.properties.town ?? ''), position: (f.geometry as Point).coordinates as [number, number] })),
    [geohazardPage.data],
  );

  const incidents = openList.data ?? [];
  return (
    <>
      <button type="button" className={`incident-open${open ? ' active' : ''}`} data-testid="incident-open" aria-pressed={open} onClick={() => setOpen(!open)}>
        {t('incButton')}
      </button>
      {open &&
        createPortal(
          <aside className="incident-sheet" style={window.innerWidth >= 720 ? { top: sheetTop } : undefined} aria-label={t('incSheetTitle')} data-testid="incident-sheet">
            <header>
              <h2>{t('incSheetTitle')}</h2>
              <button type="button" className="close" aria-label={t('close')} title={t('close')} onClick={() => setOpen(false)}>
                ×
              </button>
            </header>
            <div className="incident-body">
              <section className="incident-list" aria-label={t('incOpenList')}>
                <div className="incident-list-head">
                  <h3>{t('incOpenList')}</h3>
                  <button type="button" data-testid="incident-new" onClick={startNew}>
                    {t('incNew')}
                  </button>
                </div>
                {incidents.length === 0 && <p className="muted">{t('incNoneOpen')}</p>}
                <ul data-testid="incident-list">
                  {incidents.map((i) => (
                    <li key={i.id} className={i.id === draft.id ? 'current' : undefined}>
                      <button type="button" className="link" data-testid="incident-reopen" onClick={() => reopen(i)}>
                        <strong>{i.title}</strong>
                        <span className="muted"> · {t(HAZARD_NAME[i.hazard])} · {new Date(i.occurredAt).toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' })}</span>
                      </button>
                      <button type="button" data-testid="incident-close" onClick={() => setStatus(i, 'closed')} disabled={save.isPending}>
                        {t('incCloseIncident')}
                      </button>
                    </li>
                  ))}
                </ul>
                <details open={showClosed} onToggle={(e) => setShowClosed(e.currentTarget.open)}>
                  <summary>{t('incClosedList', { count: closedList.data?.length ?? 0 })}</summary>
                  <ul>
                    {(closedList.data ?? []).map((i) => (
                      <li key={i.id}>
                        <span>
                          {i.title} <span className="muted">· {t(HAZARD_NAME[i.hazard])}</span>
                        </span>
                        <button type="button" data-testid="incident-reopen-closed" onClick={() => setStatus(i, 'open')} disabled={save.isPending}>
                          {t('incReopen')}
                        </button>
                      </li>
                    ))}
                  </ul>
                </details>
              </section>

              {/* A stored incident's details fold away, so its assessment is in view; one click opens them. */}
              <details className="incident-form-fold" open={formOpen} onToggle={(e) => setFormOpen(e.currentTarget.open)}>
                <summary data-testid="incident-form-toggle">{t('incDetails', { title })}</summary>
                <PlaceForm
                  draft={draft}
                  hazards={INCIDENT_HAZARDS}
                  layers={layers}
                  geohazards={geohazards}
                  picking={pick === 'origin'}
                  onPicking={(on) => (on ? (setSketch(undefined), setPick('origin')) : cancelPick())}
                  onChange={update}
                  titlePlaceholder={title}
                />
              </details>
              <div className="incident-save">
                <button type="button" className="primary" data-testid="incident-save" disabled={!draft.origin || Boolean(draftProblem(draft, true)) || save.isPending || !draft.dirty} onClick={store}>
                  {draft.id ? t('incSaveChanges') : t('incSave')}
                </button>
                <span className="muted" data-testid="incident-save-status" role="status">
                  {save.isPending ? t('incSaving') : draft.id ? (draft.dirty ? t('incUnsaved') : t('incSaved', { version: draft.version ?? 1 })) : t('incNotSaved')}
                </span>
                {draft.id && draft.status === 'open' && (
                  <button type="button" className="danger" onClick={() => setStatus({ id: draft.id!, version: draft.version! }, 'closed')} disabled={save.isPending || draft.dirty}>
                    {t('incCloseIncident')}
                  </button>
                )}
                {draft.status === 'closed' && <span className="incident-closed-tag">{t('incStatusClosed')}</span>}
              </div>
              {save.error && (
                <p className="error" role="alert" data-testid="incident-save-error">
                  {errorText(save.error, i18n)}
                </p>
              )}

              <IncidentSheet
                draft={draft}
                title={title}
                request={request}
                assessment={assessment}
                layers={layers}
                adminUnits={adminPage.data}
                position={position}
                selected={selected}
                onSelect={onSelectItem}
                pick={pick}
                sketch={sketch}
                onPick={(mode) => {
                  setSketch(undefined);
                  setPick(mode);
                }}
                onFinishSketch={finishSketch}
                onCancelPick={cancelPick}
                onRemoveClosure={(index) => update({ closures: draft.closures.filter((_, k) => k !== index) })}
              />
            </div>
          </aside>,
          document.body,
        )}
    </>
  );
}
