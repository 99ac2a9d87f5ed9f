/**
 * The one map every shell shares: the full-screen map with the top bar, the layer/analysis panel
 * and the detail panel. It composes the layer view (and the URL), the selection and the tools'
 * map parts, and mounts the shell's lazily loaded tools at their places (frame/oneMap.ts).
 */
import { Suspense, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import { useAreas, type Area } from './api/areas';
import { useConfig } from './api/config';
import { ApiError } from './api/http';
import { useLayers } from './api/layers';
import { useToken } from './api/token';
import { Banners } from './frame/Banners';
import { useLayerView } from './frame/layerView';
import { MapPartsProvider, useMapParts } from './frame/mapParts';
import { OneMapContext, type EditStarter, type OneMap, type Shell, type Tab } from './frame/oneMap';
import { useSelection } from './frame/selection';
import { SidePanel } from './frame/SidePanel';
import { TopBar } from './frame/TopBar';
import { useI18n } from './i18n';
import { OFFLINE } from './map/baseStyle';
import { MapView } from './map/MapView';
import { CursorPosition } from './panels/CursorPosition';
import { DetailPanel } from './panels/DetailPanel';
import { LayerPanel } from './panels/LayerPanel';
import { Legend } from './panels/Legend';
import { PlaceFilter } from './panels/PlaceFilter';
// After MapView's maplibre-gl.css, so that the app's rules win.
import './styles.css';

/** Below this width (px) panels start collapsed and the detail panel becomes a bottom sheet. */
const NARROW = 720;
const isNarrow = () => window.innerWidth < NARROW;

const NO_AREAS: Area[] = [];

export function App({ shell }: { shell: Shell }) {
  const { t } = useI18n();
  const token = useToken();
  const config = useConfig();
  const areasQuery = useAreas();
  const layersQuery = useLayers();
  const areas = areasQuery.data ?? NO_AREAS;
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [panelOpen, setPanelOpen] = useState(() => !isNarrow());
  const [tab, setTab] = useState<Tab>(shell.initialTab);
  const [analysisOpened, setAnalysisOpened] = useState(shell.initialTab === 'analysis');
  const [tableLayer, setTableLayer] = useState<string | null>(null);
  const [legendSlot, setLegendSlot] = useState<HTMLElement | null>(null);
  const [edit, publishEdit] = useState<EditStarter>();
  const view = useLayerView(layersQuery.data, token, map, areas);
  const selection = useSelection(view.layers, view.drawn, map, () => isNarrow() && setPanelOpen(false));
  const parts = useMapParts();
  const { layers } = view;
  const role = layersQuery.data?.role;
  const staff = role === 'commander' || role === 'admin';
  const oneMap: OneMap = { shell, map, token, role, staff, layers, areas, selection, legendSlot, publishEdit,
    areaCode: view.areaCode, adminUnits: view.adminUnits, panel: { open: panelOpen, tab } }; // prettier-ignore

  const openTab = (id: Tab) => {
    setTab(id);
    if (id === 'analysis') setAnalysisOpened(true);
  };
  const pick: typeof selection.pick = (layer, feature) => {
    view.show(layer.id);
    selection.pick(layer, feature);
  };
  const rejected = layersQuery.error instanceof ApiError && layersQuery.error.status === 401 && Boolean(token);
  const loadError = config.error ?? areasQuery.error ?? (rejected ? null : layersQuery.error);
  const selected = selection.selection;
  const table = layers.find((l) => l.id === tableLayer);
  const Analysis = shell.analysis;
  const Rescue = shell.rescue;
  const Editing = staff ? shell.editing : undefined;

  return (
    <OneMapContext.Provider value={oneMap}>
      <MapPartsProvider value={parts.setPart}>
        <div className={`app ${panelOpen ? 'panel-open' : 'panel-closed'}`}>
          {!config.isPending && (
            <MapView
              basemaps={config.data?.basemaps ?? []}
              basemap={view.basemap}
              drawn={view.drawn}
              selection={selected}
              selectedPosition={selection.position}
              initialView={view.initialView}
              dataReady={view.dataReady}
              analysis={parts.decks}
              onPickPoint={parts.onPickPoint}
              onSelect={selection.select}
              onMap={setMap}
              onViewChange={view.setView}
              onBasemapError={view.basemapError}
            />
          )}

          <div className="overlay">
            <TopBar
              demo={config.data?.demo === true}
              areaCode={view.areaCode}
              onArea={view.chooseArea}
              onPick={pick}
              basemaps={config.data?.basemaps ?? []}
              basemap={view.basemap}
              onBasemap={view.chooseBasemap}
            />

            <Banners anonymous={!token} rejected={rejected} loadError={loadError} basemapFailed={view.basemapFailed} onOffline={() => view.chooseBasemap(OFFLINE)} />

            <div className="panels">
              <SidePanel tabs={shell.tabs} tab={tab} open={panelOpen} onOpen={setPanelOpen} onTab={openTab}>
                {Analysis && analysisOpened && (
                  <Suspense fallback={tab === 'analysis' && <p className="panel-body muted">{t('loading')}</p>}>
                    <Analysis />
                  </Suspense>
                )}
                {panelOpen && tab === 'layers' && (
                  <div className="panel-body">
                    {role === 'public' && <p className="muted hint">{t('publicOnly')}</p>}
                    <LayerPanel
                      layers={layers}
                      visibility={view.visibility}
                      opacity={view.opacity}
                      filters={view.filters}
                      status={view.status}
                      onToggle={view.show}
                      onOpacity={view.setOpacity}
                      onFilter={view.setFilter}
                      onTable={(id) => {
                        setTableLayer(id);
                        if (isNarrow()) setPanelOpen(false);
                      }}
                      onAdd={
                        edit &&
                        ((id) => {
                          selection.clear();
                          view.show(id);
                          edit.startCreate(id, layers.find((l) => l.id === id)?.geometry);
                        })
                      }
                    />
                    <PlaceFilter areas={areas} towns={view.towns} place={view.place} onChange={view.setPlace} active={view.anyFilter} onClear={view.clearFilters} />
                    <Legend layers={view.visibleLayers} />
                    <div className="slot" ref={setLegendSlot} />
                  </div>
                )}
              </SidePanel>

              {selected && selection.layer && (
                <DetailPanel
                  key={`${selected.layerId}/${selected.fid}`}
                  layer={selection.layer}
                  fid={selected.fid}
                  areas={areas}
                  onClose={selection.clear}
                  editor={Editing?.FeatureEditor}
                  onMove={
                    edit &&
                    ((feature) => {
                      edit.startMove(selected.layerId, feature);
                      // On a phone the bottom sheet would cover the point being moved.
                      if (isNarrow()) selection.clear();
                    })
                  }
                >
                  {Rescue && staff && (
                    <Suspense fallback={null}>
                      <Rescue />
                    </Suspense>
                  )}
                </DetailPanel>
              )}
              {Editing && (
                <Suspense fallback={null}>
                  <Editing.Session />
                </Suspense>
              )}
              {shell.overlays
                ?.filter((o) => !o.show || o.show(oneMap))
                .map(({ id, Component }) => (
                  <Suspense key={id} fallback={null}>
                    <Component />
                  </Suspense>
                ))}
            </div>

            {table && (
              <Suspense fallback={null}>
                <shell.table key={table.id} layer={table} areas={areas} canEdit={staff} selectedFid={selected?.layerId === table.id ? selected.fid : undefined} onSelect={pick} onClose={() => setTableLayer(null)} />
              </Suspense>
            )}
          </div>

          <CursorPosition map={map} />
        </div>
      </MapPartsProvider>
    </OneMapContext.Provider>
  );
}
