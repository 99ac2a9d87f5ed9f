/**
 * What the map shows and the URL keeps: the area, which layers are visible (with their opacity and
 * filters), the district/town filter, the camera and the basemap. The URL hash (hash.ts) is read once at start
 * and rewritten whenever the view, the visible layers or the area change.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { layerWithRole } from '../../../core/catalogue/roles';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Area } from '../api/areas';
import { useCounts, viewBbox } from '../api/counts';
import { useLayersFeatures, type FeaturePage, type Filters } from '../api/features';
import type { Layer, LayerList } from '../api/layers';
import { parseHash, writeHash, type View } from '../hash';
import { OFFLINE } from '../map/baseStyle';
import { fitBbox } from '../map/camera';
import type { DrawnLayer } from '../map/MapView';
import { isTiled, tileSource } from '../map/tileLayers';
import type { LayerStatus } from '../panels/LayerPanel';
import type { Place } from '../panels/PlaceFilter';

const BOUNDARY_LAYER = layerWithRole('boundary').id;

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

export function useLayerView(catalogue: LayerList | undefined, token: string | null, map: MaplibreMap | null, areas: Area[]) {
  const initial = useMemo(() => parseHash(window.location.hash), []);
  const [areaCode, setAreaCode] = useState(initial.area);
  const [visibility, setVisibility] = useState<Record<string, boolean>>(() => Object.fromEntries((initial.layers ?? []).map((id) => [id, true])));
  const [opacity, setOpacity] = useState<Record<string, number>>({});
  const [filters, setFilters] = useState<Record<string, Filters>>({});
  const [place, setPlace] = useState<Place>({});
  const [view, setView] = useState<View | undefined>(initial.map);
  const [basemap, setBasemap] = useState(OFFLINE);
  const [basemapFailed, setBasemapFailed] = useState(false);
  const urlLayers = useRef(initial.layers);
  const layers = useMemo(() => catalogue?.layers ?? [], [catalogue]);

  // Layers first seen get their visibility from the URL (if it listed layers) or the catalogue default;
  // layers that appear later (after signing in) get the catalogue default.
  useEffect(() => {
    if (!catalogue) return;
    const fromUrl = urlLayers.current;
    urlLayers.current = undefined;
    setVisibility((prev) => {
      const next = { ...prev };
      for (const l of catalogue.layers) if (!(l.id in next)) next[l.id] = fromUrl ? false : l.visible;
      return next;
    });
  }, [catalogue]);

  const layerFilters = layers.map((layer) => filtersFor(layer, filters[layer.id], place));
  // Tiled layers (lines, large point layers) come by tile as the map asks for them, never whole.
  const tiled = layers.map((layer) => isTiled(layer));
  const results = useLayersFeatures(
    layers.map((layer, i) => ({
      layerId: layer.id,
      filters: layerFilters[i],
      // The base polygons are always loaded: they give the town list of the place filter.
      enabled: !tiled[i] && (visibility[layer.id] === true || layer.geometry === 'Polygon'),
    })),
  );
  const totals = useCounts(layers.map((layer, i) => ({ layerId: layer.id, filters: layerFilters[i], enabled: tiled[i] && visibility[layer.id] === true })));
  // The view's box, read when the camera settles (`view` changes on moveend).
  const bbox = useMemo(() => {
    if (!map || !view) return undefined;
    const b = map.getBounds();
    return viewBbox(b.getWest(), b.getSouth(), b.getEast(), b.getNorth());
  }, [map, view]);
  const inView = useCounts(layers.map((layer, i) => ({ layerId: layer.id, filters: layerFilters[i], bbox, enabled: Boolean(bbox) && visibility[layer.id] === true })));

  // While a new filter loads, keep drawing what the layer showed before rather than nothing.
  const lastPages = useRef<Record<string, FeaturePage>>({});
  const drawn: DrawnLayer[] = layers.map((layer, i) => {
    const visible = visibility[layer.id] === true;
    if (tiled[i]) return { layer, source: tileSource(layer, layerFilters[i], token), visible, opacity: opacity[layer.id] ?? 1 };
    const key = `${token ?? ''}:${layer.id}`;
    const data = results[i]?.data;
    if (data) lastPages.current[key] = data;
    return { layer, data: data ?? lastPages.current[key], visible, opacity: opacity[layer.id] ?? 1 };
  });
  const status: Record<string, LayerStatus> = Object.fromEntries(
    layers.map((layer, i) => [
      layer.id,
      {
        matched: tiled[i] ? totals[i] : results[i]?.data?.numberMatched,
        inView: inView[i],
        loading: results[i]?.isFetching ?? false,
        error: results[i]?.error?.message,
      },
    ]),
  );
  // A tiled layer is drawn once MapLibre has its tiles: the test hook also waits for map.loaded().
  const dataReady =
    layers.length > 0 && layers.every((layer, i) => tiled[i] || visibility[layer.id] !== true || (results[i]?.data !== undefined && !results[i].isFetching));

  const adminUnits = drawn.find((d) => d.layer.id === BOUNDARY_LAYER)?.data;
  const towns = useMemo(() => townsByCounty(adminUnits), [adminUnits]);

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
    if (!catalogue) return;
    writeHash({ map: view, layers: Object.keys(visibility).filter((id) => visibility[id]), area: areaCode });
  }, [view, visibility, areaCode, catalogue]);

  return {
    initialView: initial.map,
    layers,
    areaCode,
    visibility,
    opacity,
    filters,
    place,
    drawn,
    status,
    dataReady,
    adminUnits,
    towns,
    anyFilter: Boolean(place.county || place.town) || Object.values(filters).some((f) => Object.values(f).some((v) => v.length > 0)),
    visibleLayers: layers.filter((l) => visibility[l.id]),
    setView,
    basemap,
    /** An online basemap was chosen and its tiles fail (typically: no internet). */
    basemapFailed: basemapFailed && basemap !== OFFLINE,
    chooseBasemap: (id: string) => {
      setBasemap(id);
      setBasemapFailed(false);
    },
    basemapError: () => setBasemapFailed(true),
    setPlace,
    show: (id: string, visible = true) => setVisibility((v) => ({ ...v, [id]: visible })),
    setOpacity: (id: string, value: number) => setOpacity((s) => ({ ...s, [id]: value })),
    setFilter: (id: string, field: string, values: string[]) => setFilters((s) => ({ ...s, [id]: { ...s[id], [field]: values } })),
    clearFilters: () => {
      setPlace({});
      setFilters({});
    },
    chooseArea: (area: Area) => {
      setAreaCode(area.code);
      if (map) fitBbox(map, area.bbox);
    },
  };
}
