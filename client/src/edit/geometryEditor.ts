/**
 * The line or polygon being drawn or reshaped, on the map: MapLibre fill/line layers show it,
 * DOM markers are its handles (a marker pans nothing while dragged, and is easy to hit): a square
 * per vertex (drag to move, right-click to delete), a small circle per segment middle (click to
 * insert a vertex there). While drawing, a double-click finishes instead of zooming.
 */
import * as maplibregl from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { fromShape, isArea, midpoints, moveVertex, type LonLat, type Shape, type VertexRef } from './shape';

export interface ShapeEditor {
  shape: Shape;
  /** Drawing a new shape (clicks add vertices): no middle handles, a double-click finishes. */
  drawing: boolean;
  onChange(shape: Shape): void;
  onDeleteVertex(ref: VertexRef): void;
  onInsertVertex(ref: VertexRef, at: LonLat): void;
  onFinish?: () => void;
  /** Tooltip of a vertex handle. */
  vertexTitle: string;
}

const SOURCE = 'edit-shape';
const LAYERS: maplibregl.LayerSpecification[] = [
  { id: 'edit-shape-fill', type: 'fill', source: SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#1a5fb4', 'fill-opacity': 0.15 } },
  { id: 'edit-shape-line', type: 'line', source: SOURCE, filter: ['!=', ['geometry-type'], 'Polygon'], paint: { 'line-color': '#1a5fb4', 'line-width': 3, 'line-dasharray': [2, 1] } },
];

/** What the editor keeps on one map between updates. */
export interface ShapeEditorState {
  markers: maplibregl.Marker[];
  /** The editor of the latest update (the listeners read it, not the one they were made with). */
  current?: ShapeEditor;
  listening: boolean;
}

export const newShapeEditorState = (): ShapeEditorState => ({ markers: [], listening: false });

/**
 * What is drawn: the area (once it has three vertices) for the fill, and the outline as lines,
 * always; MapLibre skips a ring of zero area (a symmetric bow tie), the lines show it anyway.
 */
function drawable(shape: Shape): FeatureCollection {
  const area = isArea(shape) && shape.parts.every((p) => p.length >= 3);
  const outline = shape.parts.map((p) => (isArea(shape) && p.length >= 3 ? [...p, p[0]] : p));
  return {
    type: 'FeatureCollection',
    features: [
      ...(area ? [{ type: 'Feature' as const, properties: {}, geometry: fromShape(shape) }] : []),
      { type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: outline } },
    ],
  };
}

function handle(className: string, title?: string): HTMLElement {
  const el = document.createElement('div');
  el.className = className;
  if (title) el.title = title;
  return el;
}

/** Shows `editor` on the map (or removes everything when it is undefined). */
export function syncShapeEditor(map: maplibregl.Map, state: ShapeEditorState, editor: ShapeEditor | undefined): void {
  state.current = editor;
  for (const m of state.markers) m.remove();
  state.markers = [];
  if (!editor) {
    for (const l of LAYERS) if (map.getLayer(l.id)) map.removeLayer(l.id);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
    map.doubleClickZoom.enable();
    return;
  }
  if (!state.listening) {
    state.listening = true;
    map.on('dblclick', (e) => {
      if (state.current?.drawing && state.current.onFinish) {
        e.preventDefault();
        state.current.onFinish();
      }
    });
  }
  if (editor.drawing) map.doubleClickZoom.disable();
  else map.doubleClickZoom.enable();

  const source = map.getSource(SOURCE) as maplibregl.GeoJSONSource | undefined;
  if (source) source.setData(drawable(editor.shape));
  else {
    map.addSource(SOURCE, { type: 'geojson', data: drawable(editor.shape) });
    for (const l of LAYERS) map.addLayer(l);
  }
  const show = (shape: Shape) => (map.getSource(SOURCE) as maplibregl.GeoJSONSource | undefined)?.setData(drawable(shape));

  editor.shape.parts.forEach((part, p) =>
    part.forEach((v, i) => {
      const ref = { part: p, index: i };
      const el = handle('shape-vertex', editor.vertexTitle);
      el.dataset.vertex = `${p}:${i}`;
      el.addEventListener('contextmenu', (e) => {
        e.preventDefault();
        e.stopPropagation();
        state.current?.onDeleteVertex(ref);
      });
      const marker = new maplibregl.Marker({ element: el, draggable: true }).setLngLat(v).addTo(map);
      const at = (): LonLat => {
        const ll = marker.getLngLat();
        return [ll.lng, ll.lat];
      };
      marker.on('drag', () => state.current && show(moveVertex(state.current.shape, ref, at())));
      marker.on('dragend', () => state.current?.onChange(moveVertex(state.current.shape, ref, at())));
      state.markers.push(marker);
    }),
  );
  if (editor.drawing) return;
  for (const { at, ref } of midpoints(editor.shape)) {
    const el = handle('shape-midpoint');
    el.dataset.midpoint = `${ref.part}:${ref.index}`;
    el.addEventListener('click', (e) => {
      e.stopPropagation();
      state.current?.onInsertVertex(ref, at);
    });
    state.markers.push(new maplibregl.Marker({ element: el }).setLngLat(at).addTo(map));
  }
}
