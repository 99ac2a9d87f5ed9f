/**
 * An edit session on the map, drawn by MapLibre itself: the draggable marker of a point being moved
 * or placed, and the outline and vertex handles of a line or polygon (geometryEditor). Everything
 * goes when the session ends or its tool unmounts (signing out).
 */
import { useEffect, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
import { newShapeEditorState, syncShapeEditor } from './geometryEditor';
import type { EditSessionState } from './useEditSession';

export function useEditOnMap(map: maplibregl.Map | null, { marker, shapeEditor }: Pick<EditSessionState, 'marker' | 'shapeEditor'>): void {
  const pin = useRef<maplibregl.Marker | null>(null);
  const latest = useRef(marker);
  latest.current = marker;
  const at = marker?.position;
  useEffect(() => {
    if (!map) return;
    if (!at) {
      pin.current?.remove();
      pin.current = null;
      return;
    }
    if (pin.current) {
      pin.current.setLngLat(at);
      return;
    }
    const m = new maplibregl.Marker({ draggable: true, color: '#1a5fb4' }).setLngLat(at).addTo(map);
    m.getElement().dataset.testid = 'edit-marker';
    m.on('dragend', () => {
      const p = m.getLngLat();
      latest.current?.onMove([p.lng, p.lat]);
    });
    pin.current = m;
  }, [map, at]);
  useEffect(
    () => () => {
      pin.current?.remove();
      pin.current = null;
    },
    [],
  );

  const shape = useRef(newShapeEditorState());
  useEffect(() => {
    if (map) syncShapeEditor(map, shape.current, shapeEditor);
  }, [map, shapeEditor]);
  useEffect(
    () => () => {
      if (map) syncShapeEditor(map, shape.current, undefined);
    },
    [map],
  );
}
