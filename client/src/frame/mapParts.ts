/**
 * What the shells' tools add to the one map: deck.gl layers (an analysis result, a rescue circle,
 * an import preview) and a taker of map clicks (picking an origin, placing a point). A tool calls
 * useMapPart; the frame merges the parts in their order and hands them to MapView. MapLibre
 * markers and handles a tool draws itself, on the map from useOneMap().
 */
import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useState } from 'react';
import type { AnalysisDeck } from '../map/analysisLayers';
import type { LonLat } from './selection';

export interface MapPart {
  decks?: AnalysisDeck[];
  /** While set, a map click gives its lon/lat here instead of selecting a feature. */
  onPickPoint?: (p: LonLat) => void;
}

/**
 * Where each part goes: decks are drawn in this order (later ones above), and the click taker
 * with the lowest order wins (an edit in progress before an analysis origin).
 */
export const PART_ORDER = { edit: 0, analysisRun: 10, islands: 15, rescueCircle: 20, analysisOrigins: 30, importPreview: 40, incident: 50 } as const;

type SetPart = (key: string, order: number, part: MapPart | undefined) => void;
const SetPartContext = createContext<SetPart>(() => {});
export const MapPartsProvider = SetPartContext.Provider;

/** The frame's side: the merged parts, and the setter to provide to the tools. */
export function useMapParts(): { decks: AnalysisDeck[]; onPickPoint?: (p: LonLat) => void; setPart: SetPart } {
  const [parts, setParts] = useState<Record<string, { order: number; part: MapPart }>>({});
  const setPart = useCallback<SetPart>(
    (key, order, part) =>
      setParts((all) => {
        if (all[key]?.part === part) return all;
        const next = { ...all };
        if (part) next[key] = { order, part };
        else delete next[key];
        return next;
      }),
    [],
  );
  return useMemo(() => {
    const sorted = Object.values(parts).sort((a, b) => a.order - b.order);
    return { decks: sorted.flatMap((p) => p.part.decks ?? []), onPickPoint: sorted.find((p) => p.part.onPickPoint)?.part.onPickPoint, setPart };
  }, [parts, setPart]);
}

/**
 * A tool's side: `part` is shown while the tool is mounted; memoise it (a new object redraws).
 * Set before the browser paints, so a map click never lands between a panel that asks for it
 * (placing a point) and the click taker.
 */
export function useMapPart(key: string, order: number, part: MapPart | undefined): void {
  const setPart = useContext(SetPartContext);
  useLayoutEffect(() => setPart(key, order, part), [setPart, key, order, part]);
  useLayoutEffect(() => () => setPart(key, order, undefined), [setPart, key, order]);
}
