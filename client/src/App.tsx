/** The application: full-screen map with the top bar, the layer/legend panel and the detail panel. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Point } from 'geojson';
import { DEFAULT_DRAFTS, isPublicKind, offeredKind, RESCUE_BASE_LAYERS, useAnalysisRun, useRescueCircle, type AnalysisDrafts, type AnalysisRun } from './api/analysis';
import type { Area } from './api/areas';
import { useAreas } from './api/areas';
import { useConfig } from './api/config';
import { useLayersFeatures, type FeaturePage, type Filters, type OneFeature } from './api/features';
import { ApiError } from './api/http';
import { useLayers, type Layer } from './api/layers';
import { setToken, useToken } from './api/token';
import { parseHash, writeHash, type View as HashView } from './hash';
import { Importer } from './import/Importer';
import { useI18n } from './i18n';
import { OFFLINE } from './map/baseStyle';
import { analysisLayers, analysisLegend, isochroneBbox, isochroneLayers, originMarkers, type AnalysisDeck } from './map/analysisLayers';
import { fitBbox, flyToGeometry, revealPoint } from './map/camera';
import { MapView, type DrawnLayer, type Selection } from './map/MapView';
import { siteMarkers } from './map/siteMarkers';
import { AnalysisLegend } from './panels/AnalysisLegend';
import { AnalysisPanel } from './panels/AnalysisPanel';
import { AreaSwitcher } from './panels/AreaSwitcher';
import { BasemapSwitcher } from './panels/BasemapSwitcher';
import { CursorPosition } from './panels/CursorPosition';
import { DemoNotice } from './panels/DemoNotice';
import { DetailPanel } from './panels/DetailPanel';
import { AuditLog } from './edit/AuditLog';
import { EditSession, useEditSession } from './edit/EditSession';
import { TableDrawer } from './edit/TableDrawer';
import { LanguageSwitch } from './panels/LanguageSwitch';
import { LayerPanel, type LayerStatus } from './panels/LayerPanel';
import { Legend } from './panels/Legend';
import { PlaceFilter, type Place } from './panels/PlaceFilter';
import { RescueCircle } from './panels/RescueCircle';
import { SearchBox } from './panels/SearchBox';
import { SignIn } from './panels/SignIn';
import { ShelterFinderLink, ShelterFinderOffer } from './shells/public/OneMapOffer';

/** Below this width (px) panels start collapsed and the detail panel becomes a bottom sheet. */
const NARROW = 720;
const isNarrow = () => window.innerWidth < NARROW;

interface SelectedFeature extends Selection {
  /** Known when picked from search, before the layer data has it (or if a filter hides it). */
  position?: [number, number];
}

/** The layer's own enum filters plus the district/town filter, for layers that take them. */
function filtersFor(layer: Layer, own: Filters | undefined, place: Place): Filters {
  const filters: Filters = { ...own };
  // Polygon layers are the base map (counties, towns): the place filter does not thin them out.
  if (layer.geometry === 'Polygon') return filters;
  const filterable = new Set(layer.fields.filter((f) => f.filter).map((f) => f.name));
  if (place.county && filterable.has('county_code')) filters.county_code = [place.county];
  if (place.town && filterable.has('town')) filters.town = [place.town];
  return filters;
}

/** Town names per county code, from the admin_units layer. */
function townsByCounty(page: FeaturePage | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of page?.features ?? []) {
    const { level, county_code: county, name } = f.properties;
    if (level === 'town' && typeof county === 'string' && typeof name === 'string') (out[county] ??= []).push(name);
  }
  for (const names of Object.values(out)) names.sort((a, b) => a.localeCompare(b, 'zh-CN'));
  return out;
}

export function App() {
  const i18n = useI18n();
  const { t } = i18n;
  const token = useToken();
  const config = useConfig();
  const areasQuery = useAreas();
  const layersQuery = useLayers();
  const initial = useMemo(() => parseHash(window.location.hash), []);

  const [areaCode, setAreaCode] = useState(initial.area);
  const [visibility, setVisibility] = useState<Record<string, boolean>>(() =>
    Object.fromEntries((initial.layers ?? []).map((id) => [id, true])),
  );
  const [opacity, setOpacity] = useState<Record<string, number>>({});
  const [layerFilters, setLayerFilters] = useState<Record<string, Filters>>({});
  const [place, setPlace] = useState<Place>({});
  const [selection, setSelection] = useState<SelectedFeature | null>(null);
  const [basemap, setBasemap] = useState(OFFLINE);
  const [basemapFailed, setBasemapFailed] = useState(false);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [view, setView] = useState<HashView | undefined>(initial.map);
  const [panelOpen, setPanelOpen] = useState(() => !isNarrow());
  const [tab, setTab] = useState<'layers' | 'analysis'>('layers');
  const [drafts, setDrafts] = useState<AnalysisDrafts>(DEFAULT_DRAFTS);
  const [picking, setPicking] = useState(false);
  const [importPreview, setImportPreview] = useState<AnalysisDeck>();
  const analysis = useAnalysisRun();
  const urlLayers = useRef(initial.layers);
  const role = layersQuery.data?.role;
  const canEdit = role === 'commander' || role === 'admin';
  const editSession = useEditSession(canEdit);
  const [tableLayer, setTableLayer] = useState<string | null>(null);

  const layers = useMemo(() => layersQuery.data?.layers ?? [], [layersQuery.data]);
  const areas = useMemo(() => areasQuery.data ?? [], [areasQuery.data]);

  // Layers first seen get their visibility from the URL (if it listed layers) or the catalogue default;
  // layers that appear later (after signing in) get the catalogue default.
  useEffect(() => {
    if (!layersQuery.data) return;
    const fromUrl = urlLayers.current;
    urlLayers.current = undefined;
    setVisibility((prev) => {
      const next = { ...prev };
      for (const l of layersQuery.data.layers) if (!(l.id in next)) next[l.id] = fromUrl ? false : l.visible;
      return next;
    });
  }, [layersQuery.data]);

  const requests = layers.map((layer) => ({
    layerId: layer.id,
    filters: filtersFor(layer, layerFilters[layer.id], place),
    // The base polygons are always loaded: they give the town list of the place filter.
    enabled: visibility[layer.id] === true || layer.geometry === 'Polygon',
  }));
  const results = useLayersFeatures(requests);

  // While a new filter loads, keep drawing what the layer showed before rather than nothing.
  const lastPages = useRef<Record<string, FeaturePage>>({});
  const drawn: DrawnLayer[] = layers.map((layer, i) => {
    const key = `${token ?? ''}:${layer.id}`;
    const data = results[i]?.data;
    if (data) lastPages.current[key] = data;
    return { layer, data: data ?? lastPages.current[key], visible: visibility[layer.id] === true, opacity: opacity[layer.id] ?? 1 };
  });
  const status: Record<string, LayerStatus> = Object.fromEntries(
    layers.map((layer, i) => [
      layer.id,
      { matched: results[i]?.data?.numberMatched, loading: results[i]?.isFetching ?? false, error: results[i]?.error?.message },
    ]),
  );
  const dataReady =
    layers.length > 0 && layers.every((layer, i) => visibility[layer.id] !== true || (results[i]?.data !== undefined && !results[i].isFetching));

  const adminPage = drawn.find((d) => d.layer.id === 'admin_units')?.data;
  const towns = useMemo(() => townsByCounty(adminPage), [adminPage]);

  const selectedLayer = layers.find((l) => l.id === selection?.layerId);
  const selectedFeature = drawn.find((d) => d.layer.id === selection?.layerId)?.data?.features.find((f) => f.id === selection?.fid);
  const selectedPosition =
    selectedFeature?.geometry?.type === 'Point' ? ((selectedFeature.geometry as Point).coordinates as [number, number]) : selection?.position;

  const rescueOrigin = selection && RESCUE_BASE_LAYERS.includes(selection.layerId) ? selectedPosition : undefined;
  const rescue = useRescueCircle(rescueOrigin);

  // A result read from internal layers does not stay on screen once the commander signs out.
  const { run, clear: clearAnalysis } = analysis;
  useEffect(() => {
    if (!token && run && !isPublicKind(run.kind)) clearAnalysis();
  }, [token, run, clearAnalysis]);

  const runDeck = useMemo(() => run && analysisLayers(run, adminPage, i18n), [run, adminPage, i18n]);
  const rescueDeck = useMemo(
    () => (rescue.data && rescueOrigin ? isochroneLayers('rescue-circle', rescue.data, [rescueOrigin], i18n) : undefined),
    [rescue.data, rescueOrigin, i18n],
  );
  const draftOrigins = tab === 'analysis' && offeredKind(drafts.kind, layersQuery.data?.role) === 'isochrone' ? drafts.isochrone.origins : undefined;
  const analysisDecks = useMemo(() => {
    const decks: AnalysisDeck[] = [];
    if (runDeck) decks.push(runDeck);
    if (rescueDeck) decks.push(rescueDeck);
    if (draftOrigins?.length) decks.push(originMarkers(draftOrigins));
    if (importPreview) decks.push(importPreview);
    return decks;
  }, [runDeck, rescueDeck, draftOrigins, importPreview]);

  const fitRun = useCallback(
    (r: AnalysisRun) => {
      if (!map) return;
      const bbox = r.kind === 'isochrone' ? isochroneBbox(r.data) : areas.find((a) => a.code === r.body.county)?.bbox;
      if (bbox) fitBbox(map, bbox);
    },
    [map, areas],
  );
  // A new result is shown whole; a what-if on it keeps the planner's view.
  const { solved, plan } = analysis;
  const fitted = useRef<AnalysisRun | undefined>(undefined);
  useEffect(() => {
    if (solved && fitted.current !== solved) {
      fitted.current = solved;
      fitRun(solved);
    }
  }, [solved, fitRun]);
  const sites = useMemo(() => (run?.kind === 'siting' ? siteMarkers(run.data, plan.sites) : undefined), [run, plan.sites]);
  const siteHandlers = useMemo(() => ({ move: plan.move, remove: plan.remove, title: t('siteMarkerHint') }), [plan.move, plan.remove, t]);

  // Picking an origin ends when the analysis tab is left.
  useEffect(() => {
    if (tab !== 'analysis' || !panelOpen) setPicking(false);
  }, [tab, panelOpen]);
  // A click while picking adds an isochrone origin, or on a siting result a site placed by hand (what-if).
  const addSite = plan.add;
  const onPickPoint = useCallback(
    (p: [number, number]) => {
      if (run?.kind === 'siting' && drafts.kind === 'siting') addSite(p);
      else setDrafts((d) => ({ ...d, isochrone: { ...d.isochrone, origins: [...d.isochrone.origins, p] } }));
      setPicking(false);
    },
    [run, drafts.kind, addSite],
  );

  // First view: the URL's, else the URL's area, else the first area.
  const placed = useRef(Boolean(initial.map));
  useEffect(() => {
    if (!map || areas.length === 0) return;
    if (!areaCode) setAreaCode((areas.find((a) => a.code === initial.area) ?? areas[0]).code);
    if (placed.current) return;
    placed.current = true;
    fitBbox(map, (areas.find((a) => a.code === initial.area) ?? areas[0]).bbox, false);
  }, [map, areas, areaCode, initial.area]);

  useEffect(() => {
    if (!layersQuery.data) return;
    const visible = Object.keys(visibility).filter((id) => visibility[id]);
    writeHash({ map: view, layers: visible, area: areaCode });
  }, [view, visibility, areaCode, layersQuery.data]);

  const onSelect = useCallback((s: SelectedFeature | null) => {
    setSelection(s);
    if (s && isNarrow()) setPanelOpen(false);
  }, []);

  // A point clicked near the edge may sit under the detail panel that its click opens.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    const key = selection && `${selection.layerId}/${selection.fid}`;
    if (!map || !key || !selectedPosition || revealed.current === key) return;
    revealed.current = key;
    if (!map.isMoving()) revealPoint(map, selectedPosition);
  }, [map, selection, selectedPosition]);

  const onPick = (layer: Layer, feature: OneFeature) => {
    const point = feature.geometry?.type === 'Point' ? ((feature.geometry as Point).coordinates as [number, number]) : undefined;
    setVisibility((v) => ({ ...v, [layer.id]: true }));
    onSelect({ layerId: layer.id, fid: feature.id, position: point });
    if (map && feature.geometry) flyToGeometry(map, feature.geometry);
  };

  const onArea = (area: Area) => {
    setAreaCode(area.code);
    if (map) fitBbox(map, area.bbox);
  };

  const anyFilter = Boolean(place.county || place.town) || Object.values(layerFilters).some((f) => Object.values(f).some((v) => v.length > 0));
  const rejected = layersQuery.error instanceof ApiError && layersQuery.error.status === 401 && token;
  const loadError = config.error ?? areasQuery.error ?? (rejected ? null : layersQuery.error);
  const visibleLayers = layers.filter((l) => visibility[l.id]);

  return (
    <div className={`app ${panelOpen ? 'panel-open' : 'panel-closed'}`}>
      {!config.isPending && (
        <MapView
          basemaps={config.data?.basemaps ?? []}
          basemap={basemap}
          drawn={drawn}
          selection={selection}
          selectedPosition={selectedPosition}
          initialView={initial.map}
          dataReady={dataReady}
          analysis={analysisDecks}
          sites={sites}
          siteHandlers={siteHandlers}
          onPickPoint={editSession.onPickPoint ?? (picking ? onPickPoint : undefined)}
          marker={editSession.marker}
          shapeEditor={editSession.shapeEditor}
          onSelect={onSelect}
          onMap={setMap}
          onViewChange={setView}
          onBasemapError={() => setBasemapFailed(true)}
        />
      )}

      <div className="overlay">
        <header className="topbar">
          <h1>
            {t('appTitle')}
            <small>{t('appSubtitle')}</small>
          </h1>
          {config.data?.demo && <DemoNotice />}
          <AreaSwitcher areas={areas} value={areaCode} onChange={onArea} />
          <SearchBox layers={layers} onPick={onPick} />
          <div className="topbar-tools">
            <ShelterFinderLink />
            <BasemapSwitcher
              basemaps={config.data?.basemaps ?? []}
              value={basemap}
              onChange={(id) => {
                setBasemap(id);
                setBasemapFailed(false);
              }}
            />
            <LanguageSwitch />
            {token && (layersQuery.data?.role === 'commander' || layersQuery.data?.role === 'admin') && (
              <Importer layers={layers} map={map} onPreview={setImportPreview} />
            )}
            {role === 'admin' && <AuditLog layers={layers} />}
            <SignIn role={layersQuery.data?.role} />
          </div>
        </header>

        <ShelterFinderOffer anonymous={!token} />
        {(rejected || loadError) && (
          <div className="banner error" role="alert">
            {rejected ? t('tokenRejected') : t('loadFailed', { message: (loadError as Error).message })}
            {rejected && (
              <button type="button" onClick={() => setToken(null)}>
                {t('signOut')}
              </button>
            )}
          </div>
        )}

        {basemapFailed && basemap !== OFFLINE && (
          <div className="banner" role="status">
            {t('basemapFailed')}
            <button type="button" onClick={() => setBasemap(OFFLINE)}>
              {t('basemapOffline')}
            </button>
          </div>
        )}

        <div className="panels">
          <aside className={`side-panel${tab === 'analysis' && panelOpen ? ' wide' : ''}`} aria-label={t('panelLayers')}>
            <button
              type="button"
              className="panel-toggle"
              aria-expanded={panelOpen}
              title={panelOpen ? t('collapse') : t('expand')}
              onClick={() => setPanelOpen(!panelOpen)}
              data-testid="panel-toggle"
            >
              <span>{t('panelLayers')}</span>
              <span aria-hidden>{panelOpen ? '▴' : '▾'}</span>
            </button>
            {panelOpen && (
              <div className="tabs" role="tablist">
                {(['layers', 'analysis'] as const).map((id) => (
                  <button key={id} type="button" role="tab" aria-selected={tab === id} data-tab={id} onClick={() => setTab(id)}>
                    {t(id === 'layers' ? 'tabLayers' : 'tabAnalysis')}
                  </button>
                ))}
              </div>
            )}
            {panelOpen && tab === 'analysis' && (
              <div className="panel-body">
                <AnalysisPanel
                  role={layersQuery.data?.role}
                  layers={layers}
                  areas={areas}
                  areaCode={areaCode}
                  drafts={drafts}
                  onDrafts={setDrafts}
                  analysis={analysis}
                  adminUnits={adminPage}
                  picking={picking}
                  onPicking={setPicking}
                  selected={
                    selectedPosition && selectedFeature
                      ? { name: String(selectedFeature.properties.name ?? selectedFeature.id), position: selectedPosition }
                      : undefined
                  }
                  onFit={fitRun}
                />
              </div>
            )}
            {panelOpen && tab === 'layers' && (
              <div className="panel-body">
                {layersQuery.data?.role === 'public' && <p className="muted hint">{t('publicOnly')}</p>}
                <LayerPanel
                  layers={layers}
                  visibility={visibility}
                  opacity={opacity}
                  filters={layerFilters}
                  status={status}
                  onToggle={(id, v) => setVisibility((s) => ({ ...s, [id]: v }))}
                  onOpacity={(id, v) => setOpacity((s) => ({ ...s, [id]: v }))}
                  onFilter={(id, field, values) => setLayerFilters((s) => ({ ...s, [id]: { ...s[id], [field]: values } }))}
                  onTable={(id) => {
                    setTableLayer(id);
                    if (isNarrow()) setPanelOpen(false);
                  }}
                  onAdd={
                    canEdit
                      ? (id) => {
                          setSelection(null);
                          setVisibility((v) => ({ ...v, [id]: true }));
                          editSession.startCreate(id, layers.find((l) => l.id === id)?.geometry);
                        }
                      : undefined
                  }
                />
                <PlaceFilter
                  areas={areas}
                  towns={towns}
                  place={place}
                  onChange={setPlace}
                  active={anyFilter}
                  onClear={() => {
                    setPlace({});
                    setLayerFilters({});
                  }}
                />
                <Legend layers={visibleLayers} />
                {run && (
                  <section className="legend" aria-label={t('analysisResult')}>
                    <h2>{t('analysisResult')}</h2>
                    <AnalysisLegend groups={analysisLegend(run, i18n)} />
                  </section>
                )}
              </div>
            )}
          </aside>

          {selection && selectedLayer && (
            <DetailPanel
              key={`${selection.layerId}/${selection.fid}`}
              layer={selectedLayer}
              fid={selection.fid}
              areas={areas}
              onClose={() => setSelection(null)}
              canEdit={canEdit}
              onMove={(feature) => {
                editSession.startMove(selection.layerId, feature);
                // On a phone the bottom sheet would cover the point being moved.
                if (isNarrow()) setSelection(null);
              }}
            >
              {rescueOrigin && (
                <RescueCircle
                  circle={rescue}
                  onFit={() => {
                    const bbox = rescue.data && isochroneBbox(rescue.data);
                    if (map && bbox) fitBbox(map, bbox, true, true);
                  }}
                />
              )}
            </DetailPanel>
          )}
          <EditSession session={editSession} layers={layers} areas={areas} onSelect={(layer, f) => onSelect({ layerId: layer.id, fid: f.id })} />
        </div>

        {tableLayer && layers.some((l) => l.id === tableLayer) && (
          <TableDrawer
            key={tableLayer}
            layer={layers.find((l) => l.id === tableLayer)!}
            areas={areas}
            canEdit={canEdit}
            selectedFid={selection?.layerId === tableLayer ? selection.fid : undefined}
            onSelect={onPick}
            onClose={() => setTableLayer(null)}
          />
        )}
      </div>

      <CursorPosition map={map} />
    </div>
  );
}
