/**
 * The full-screen map: MapLibre draws the base style, polygon and line layers; deck.gl (overlaid,
 * not interleaved: interleaving breaks on MapLibre 6) draws analysis results, labels and points on top.
 * Tools that draw MapLibre markers of their own (an edit's handles, a siting answer's sites) do so
 * on the map given to `onMap`.
 */
import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer as DeckLayer, PickingInfo } from '@deck.gl/core';
import type { Basemap } from '../api/config';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import type { View as HashView } from '../hash';
import type { AnalysisDeck } from './analysisLayers';
import { baseStyle, showBasemap } from './baseStyle';
import { declutter, labelLayer, labels } from './labelLayers';
import { pointData, pointLayers, pointObstacles, selectionLayer, type PointDatum } from './pointLayers';
import { lineLayerId, syncLineLayer } from './lineLayers';
import { removeLayersExcept, type LayerSource } from './maplibreLayers';
import { fillId, syncPolygonLayer } from './polygonLayers';
import { symbolOptions } from './symbols';
import { cellCountLayer, cellsId, loadedCells, syncTiledPoints, tiledPointsId, transformRequest, type Cell } from './tileLayers';
import { exposeTestHook, type TestHookControl } from './testHook';

maplibregl.setWorkerUrl(workerUrl);

export interface DrawnLayer {
  layer: Layer;
  data?: FeaturePage;
  /** Set when the layer is loaded by vector tile (tileLayers.ts) rather than whole. */
  source?: LayerSource;
  visible: boolean;
  opacity: number;
}

export interface Selection {
  layerId: string;
  fid: string;
  /** A point picked from a tile: where it is (its layer data is not in the page). */
  position?: [number, number];
}

interface Props {
  basemaps: Basemap[];
  basemap: string;
  drawn: DrawnLayer[];
  selection: Selection | null;
  /** Where the selected point is, once known (from its layer data or its detail request). */
  selectedPosition?: [number, number];
  initialView?: HashView;
  dataReady: boolean;
  /** Results to draw from the shells' tools (an analysis run, a station's rescue circle, an import preview). */
  analysis: AnalysisDeck[];
  /** While set, a click on the map gives its lon/lat here instead of selecting a feature. */
  onPickPoint?: (lonLat: [number, number]) => void;
  onSelect(selection: Selection | null): void;
  onMap(map: maplibregl.Map): void;
  onViewChange(view: HashView): void;
  /** An online basemap's tiles failed (typically: no internet). */
  onBasemapError(): void;
}

const CHINA: HashView = { lon: 105, lat: 32, zoom: 4 };

export function MapView(props: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const overlay = useRef<MapboxOverlay | null>(null);
  const hook = useRef<TestHookControl | null>(null);
  // Updated when a zoom ends (not during it): glyphs and label decluttering depend on it.
  const [zoom, setZoom] = useState(() => props.initialView?.zoom ?? CHINA.zoom);
  // The grid cells of tiled point layers in the loaded tiles, per layer, for deck.gl's count labels.
  const [cells, setCells] = useState<Record<string, Cell[]>>({});
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const start = latest.current.initialView ?? CHINA;
    const m = new maplibregl.Map({
      container: container.current!,
      style: baseStyle(latest.current.basemaps),
      center: [start.lon, start.lat],
      zoom: start.zoom,
      attributionControl: { compact: true },
      dragRotate: false,
      pitchWithRotate: false,
      maxPitch: 0,
      transformRequest,
    });
    m.touchZoomRotate.disableRotation();
    m.keyboard.disableRotation();
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
    m.addControl(new maplibregl.ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-left');
    const o = new MapboxOverlay({
      interleaved: false,
      layers: [],
      onHover: (info: PickingInfo) => {
        m.getCanvas().style.cursor = info.picked ? 'pointer' : '';
      },
      onAfterRender: () => hook.current?.update(latest.current.dataReady),
    });
    m.addControl(o as unknown as maplibregl.IControl);
    overlay.current = o;
    const h = exposeTestHook(m, o);
    hook.current = h;

    m.on('click', (e) => {
      const pickPoint = latest.current.onPickPoint;
      if (pickPoint) {
        pickPoint([e.lngLat.lng, e.lngLat.lat]);
        return;
      }
      const picked = o.pickObject({ x: e.point.x, y: e.point.y, radius: 4 });
      const datum = picked?.object as PointDatum | undefined;
      if (picked?.layer && datum?.fid) {
        latest.current.onSelect({ layerId: picked.layer.id, fid: datum.fid });
        return;
      }
      const tiled = tiledPointAt(m, latest.current.drawn, e.point);
      if (tiled && 'cell' in tiled) {
        // A grid cell: zoom in towards its points.
        m.easeTo({ center: tiled.cell, zoom: Math.min(m.getZoom() + 2, 16) });
        return;
      }
      latest.current.onSelect(tiled ?? maplibreFeatureAt(m, latest.current.drawn, e.point));
    });
    // Listening replaces MapLibre's own console logging: one notice instead of an error per tile.
    m.on('error', (e: maplibregl.ErrorEvent & { sourceId?: string }) => {
      if (e.sourceId?.startsWith('basemap-')) latest.current.onBasemapError();
      else console.error(e.error);
    });
    m.on('zoomend', () => setZoom(m.getZoom()));
    m.on('moveend', () => {
      const c = m.getCenter();
      latest.current.onViewChange({ zoom: m.getZoom(), lat: c.lat, lon: c.lng });
    });
    m.on('idle', () => {
      h.update(latest.current.dataReady);
      const next: Record<string, Cell[]> = {};
      for (const d of latest.current.drawn) if (d.source && d.layer.geometry === 'Point' && d.visible) next[d.layer.id] = loadedCells(m, d.layer.id);
      setCells((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    });
    m.on('load', () => {
      setZoom(m.getZoom());
      setMap(m);
      latest.current.onMap(m);
    });
    return () => {
      h.dispose();
      hook.current = null;
      overlay.current = null;
      m.remove();
    };
  }, []);

  useEffect(() => {
    if (map) showBasemap(map, props.basemaps, props.basemap);
  }, [map, props.basemaps, props.basemap]);

  const polygons = props.drawn.filter((d) => d.layer.geometry === 'Polygon');
  const lines = props.drawn.filter((d) => d.layer.geometry === 'LineString');
  const points = props.drawn.filter((d) => d.layer.geometry === 'Point' && !d.source);
  const tiledPoints = props.drawn.filter((d) => d.layer.geometry === 'Point' && d.source);

  useEffect(() => {
    if (!map) return;
    removeLayersExcept(map, new Set([...polygons, ...lines, ...tiledPoints].map((d) => d.layer.id)));
    for (const d of [...polygons, ...lines]) {
      const selected = props.selection?.layerId === d.layer.id ? props.selection.fid : undefined;
      const sync = d.layer.geometry === 'Polygon' ? syncPolygonLayer : syncLineLayer;
      sync(map, d.layer, d.data, d.visible, d.opacity, selected, d.source);
    }
    for (const d of tiledPoints) {
      const selected = props.selection?.layerId === d.layer.id ? props.selection.fid : undefined;
      syncTiledPoints(map, d.layer, d.source!, d.visible, d.opacity, selected);
    }
  });

  // deck.gl layers are cheap descriptions, rebuilt every render; deck.gl diffs them and only
  // recomputes attributes when a layer's data changes (data arrays are cached per page).
  useEffect(() => {
    if (!map) return;
    // Analysis areas, then polygon names, then the analysis' own names, then the points, then
    // the markers a result is about: a point is never hidden by a name, a name never by a tinted
    // area, and a proposed site never by the resources around it.
    const layers: DeckLayer[] = props.analysis.flatMap((a) => a.under);
    const shownPoints = [...points]
      .sort((a, b) => a.layer.order - b.layer.order)
      .flatMap((d) => (d.data ? [{ layer: d.layer, data: pointData(d.layer, d.data), visible: d.visible, opacity: d.opacity }] : []));
    const obstacles = pointObstacles(shownPoints, zoom);
    for (const d of polygons) {
      if (!d.data) continue;
      const all = labels(d.layer, d.data);
      layers.push(labelLayer(d.layer, all, declutter(all, zoom, (p) => map.project(p as [number, number]), obstacles), d.visible, d.opacity));
    }
    layers.push(...props.analysis.flatMap((a) => a.over));
    for (const s of shownPoints) layers.push(...pointLayers(s, zoom));
    for (const d of tiledPoints) layers.push(cellCountLayer(d.layer, cells[d.layer.id] ?? [], d.visible, d.opacity));
    layers.push(...props.analysis.flatMap((a) => a.top ?? []));
    const selectedLayer = points.find((d) => d.layer.id === props.selection?.layerId)?.layer;
    // A tiled point's ring is a MapLibre layer of its tiles (tileLayers.ts).
    const ring = tiledPoints.some((d) => d.layer.id === props.selection?.layerId) ? null : selectionLayer(props.selectedPosition, selectedLayer?.symbol.radius ?? 6, zoom);
    if (ring) layers.push(ring);
    overlay.current?.setProps({ layers });
    hook.current?.setLayers(layers);
  });

  return <div ref={container} className={`map${props.onPickPoint ? ' picking' : ''}`} data-testid="map" />;
}

/** A tiled point (its feature) or grid cell (where to zoom) under the cursor. */
function tiledPointAt(map: maplibregl.Map, drawn: DrawnLayer[], point: maplibregl.Point): (Selection & { position: [number, number] }) | { cell: [number, number] } | null {
  const tiled = drawn.filter((d) => d.visible && d.source && d.layer.geometry === 'Point');
  const ids = tiled.flatMap((d) => [tiledPointsId(d.layer.id), cellsId(d.layer.id)]).filter((id) => map.getLayer(id));
  if (ids.length === 0) return null;
  const box: [maplibregl.PointLike, maplibregl.PointLike] = [
    [point.x - 4, point.y - 4],
    [point.x + 4, point.y + 4],
  ];
  const f = map.queryRenderedFeatures(box, { layers: ids })[0];
  if (f?.geometry.type !== 'Point') return null;
  const at = f.geometry.coordinates as [number, number];
  return f.layer.id === cellsId(f.source) ? { cell: at } : { layerId: f.source, fid: String(f.properties._fid), position: at };
}

/** Lines are hard to hit exactly: a click this close (px) to one selects it. */
const LINE_TOLERANCE = 5;

/** The MapLibre-drawn feature under the cursor: a line first, else the finest polygon (a town before its county). */
function maplibreFeatureAt(map: maplibregl.Map, drawn: DrawnLayer[], point: maplibregl.Point): Selection | null {
  const visible = drawn.filter((d) => d.visible);
  const present = (ids: string[]) => ids.filter((id) => map.getLayer(id));
  const lineIds = present(visible.filter((d) => d.layer.geometry === 'LineString').map((d) => lineLayerId(d.layer.id)));
  if (lineIds.length > 0) {
    const box: [maplibregl.PointLike, maplibregl.PointLike] = [
      [point.x - LINE_TOLERANCE, point.y - LINE_TOLERANCE],
      [point.x + LINE_TOLERANCE, point.y + LINE_TOLERANCE],
    ];
    const line = map.queryRenderedFeatures(box, { layers: lineIds })[0];
    if (line) return { layerId: line.source, fid: String(line.properties._fid) };
  }
  const fillIds = present(visible.filter((d) => d.layer.geometry === 'Polygon').map((d) => fillId(d.layer.id)));
  let best: { selection: Selection; rank: number } | null = null;
  for (const f of fillIds.length > 0 ? map.queryRenderedFeatures(point, { layers: fillIds }) : []) {
    const layer = visible.find((d) => d.layer.id === f.source)?.layer;
    if (!layer) continue;
    const rank = symbolOptions(layer).findIndex((o) => o.value === f.properties[layer.symbol.by ?? '']);
    if (!best || rank > best.rank) best = { selection: { layerId: layer.id, fid: String(f.properties._fid) }, rank };
  }
  return best?.selection ?? null;
}
