/**
 * The selected feature: picked on the map, in the search, in a table or after an edit. Where it is
 * comes from the layer data once loaded (or from the search result before that), and the map pans
 * a point that would sit under the detail panel its click opens.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Point } from 'geojson';
import type { OneFeature } from '../api/features';
import type { Layer } from '../api/layers';
import { flyToGeometry, revealPoint } from '../map/camera';
import type { DrawnLayer, Selection } from '../map/MapView';

interface SelectedFeature extends Selection {
  /** Known when picked from search, before the layer data has it (or if a filter hides it). */
  position?: [number, number];
}

export type LonLat = [number, number];

const pointOf = (f: OneFeature | undefined): LonLat | undefined =>
  f?.geometry?.type === 'Point' ? ((f.geometry as Point).coordinates as LonLat) : undefined;

/** `onSelected`: called on every new selection (a phone closes the side panel then). */
export function useSelection(layers: Layer[], drawn: DrawnLayer[], map: MaplibreMap | null, onSelected: () => void) {
  const [selection, setSelection] = useState<SelectedFeature | null>(null);
  const layer = layers.find((l) => l.id === selection?.layerId);
  const feature = drawn.find((d) => d.layer.id === selection?.layerId)?.data?.features.find((f) => f.id === selection?.fid);
  const position = pointOf(feature) ?? selection?.position;

  const latest = useRef(onSelected);
  latest.current = onSelected;
  const select = useCallback((s: SelectedFeature | null) => {
    setSelection(s);
    if (s) latest.current();
  }, []);

  // A point clicked near the edge may sit under the detail panel that its click opens.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    const key = selection && `${selection.layerId}/${selection.fid}`;
    if (!map || !key || !position || revealed.current === key) return;
    revealed.current = key;
    if (!map.isMoving()) revealPoint(map, position);
  }, [map, selection, position]);

  /** Selects a feature found elsewhere (search, table) and flies to it. */
  const pick = useCallback(
    (l: Layer, f: OneFeature) => {
      select({ layerId: l.id, fid: f.id, position: pointOf(f) });
      if (map && f.geometry) flyToGeometry(map, f.geometry);
    },
    [map, select],
  );

  return { selection, layer, feature, position, select, pick, clear: () => setSelection(null) };
}

export type SelectionState = ReturnType<typeof useSelection>;
