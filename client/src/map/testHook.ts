/**
 * `window.__onemap`: what the browser test needs to act like a user on a WebGL map — the MapLibre
 * map (to project a feature's lon/lat to pixels), whether the visible layers have drawn, which
 * deck.gl layers are drawn, and what deck.gl would pick at a pixel.
 */
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer as DeckLayer } from '@deck.gl/core';

export interface DeckLayerState {
  id: string;
  visible: boolean;
  count: number;
}

export interface OnemapTestHook {
  map: MaplibreMap;
  /** True once every visible layer's data has loaded and been drawn. */
  ready: boolean;
  deckLayers(): DeckLayerState[];
  pick(x: number, y: number): { layer: string; fid: string } | null;
}

declare global {
  interface Window {
    __onemap?: OnemapTestHook;
  }
}

export interface TestHookControl {
  setLayers(layers: DeckLayer[]): void;
  /** Re-evaluates `ready` after a render; dataReady says whether every visible layer's data is in. */
  update(dataReady: boolean): void;
  dispose(): void;
}

export function exposeTestHook(map: MaplibreMap, overlay: MapboxOverlay): TestHookControl {
  let layers: DeckLayer[] = [];
  const hook: OnemapTestHook = {
    map,
    ready: false,
    deckLayers: () =>
      layers.map((l) => ({ id: l.id, visible: l.props.visible !== false, count: Array.isArray(l.props.data) ? l.props.data.length : 0 })),
    pick(x, y) {
      const info = overlay.pickObject({ x, y, radius: 4 });
      const fid = (info?.object as { fid?: string } | undefined)?.fid;
      return info?.layer && fid ? { layer: info.layer.id, fid } : null;
    },
  };
  window.__onemap = hook;
  return {
    setLayers: (next) => {
      layers = next;
    },
    update: (dataReady) => {
      hook.ready = dataReady && map.loaded();
    },
    dispose: () => {
      if (window.__onemap === hook) delete window.__onemap;
    },
  };
}
