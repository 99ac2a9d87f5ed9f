/**
 * The state of an edit that goes through the map — moving a point, reshaping a line or polygon,
 * adding a feature — and what the map shows and takes for it (the draggable marker, the shape's
 * handles, the clicks). The panels are EditSession (points) and ShapeEditing (lines, polygons).
 */
import { useCallback, useMemo, useState } from 'react';
import type { Point } from 'geojson';
import type { GeometryKind } from '../../../core/catalogue/types';
import type { VersionedFeature } from '../api/edit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import type { ShapeEditor } from './geometryEditor';
import { deleteVertex, drawnShape, insertVertex, toShape, type LonLat, type Shape } from './shape';

/** A created or moved feature is selected afterwards (the map stays where the user placed it). */
export type OnSaved = (layer: Layer, feature: VersionedFeature) => void;

type Mode =
  | { kind: 'move'; layerId: string; feature: VersionedFeature; position: LonLat; shape?: undefined }
  | { kind: 'create'; layerId: string; position?: LonLat; shape?: undefined }
  | { kind: 'reshape'; layerId: string; feature: VersionedFeature; shape: Shape; position?: undefined }
  /** A new line or polygon: vertices clicked so far; `finished` once the user ends it (then the form). */
  | { kind: 'draw'; layerId: string; shape: Shape; finished: boolean; position?: undefined };

export interface EditSessionState {
  mode: Mode | null;
  /** Moves a point, or reshapes a line or polygon. */
  startMove(layerId: string, feature: VersionedFeature): void;
  /** `geometry`: the layer's kind (a point is placed by one click, a line or polygon drawn). */
  startCreate(layerId: string, geometry?: GeometryKind): void;
  end(): void;
  /** While set, the map's clicks place the point (or add a vertex) here. */
  onPickPoint?: (p: LonLat) => void;
  /** The draggable marker the map shows. */
  marker?: { position: LonLat; onMove(p: LonLat): void };
  /** The line or polygon being drawn or reshaped, with its handles. */
  shapeEditor?: ShapeEditor;
  /** Replaces the shape being drawn or reshaped (undo, finish, reload after a conflict). */
  setShape(shape: Shape, finished?: boolean): void;
}

const same = (a: LonLat, b: LonLat) => a[0] === b[0] && a[1] === b[1];

/** `allowed`: the user may edit now (signing out ends a session). */
export function useEditSession(allowed: boolean): EditSessionState {
  const [started, setMode] = useState<Mode | null>(null);
  const mode = allowed ? started : null;
  const { t } = useI18n();
  const place = useCallback(
    (p: LonLat) =>
      setMode((m) => {
        if (m?.kind === 'move' || m?.kind === 'create') return { ...m, position: p };
        if (m?.kind !== 'draw' || m.finished) return m;
        // The two clicks of a double-click land on one spot: one vertex.
        const part = m.shape.parts[0];
        return part.length > 0 && same(part[part.length - 1], p) ? m : { ...m, shape: { ...m.shape, parts: [[...part, p]] } };
      }),
    [],
  );
  const setShape = useCallback(
    (shape: Shape, finished?: boolean) =>
      setMode((m) => (m?.kind === 'reshape' ? { ...m, shape } : m?.kind === 'draw' ? { ...m, shape, finished: finished ?? m.finished } : m)),
    [],
  );
  return useMemo(() => {
    const shape = mode?.kind === 'reshape' || mode?.kind === 'draw' ? mode.shape : undefined;
    const drawing = mode?.kind === 'draw' && !mode.finished;
    return {
      mode,
      startMove: (layerId, feature) => {
        if (feature.geometry?.type === 'Point') setMode({ kind: 'move', layerId, feature, position: (feature.geometry as Point).coordinates as LonLat });
        const shape = toShape(feature.geometry);
        if (shape) setMode({ kind: 'reshape', layerId, feature, shape });
      },
      startCreate: (layerId, geometry) =>
        setMode(!geometry || geometry === 'Point' ? { kind: 'create', layerId } : { kind: 'draw', layerId, shape: drawnShape(geometry, []), finished: false }),
      end: () => setMode(null),
      // While reshaping, a click on the map does nothing (it would select another feature).
      onPickPoint: mode ? (mode.kind === 'reshape' ? () => {} : place) : undefined,
      marker: mode?.position && { position: mode.position, onMove: place },
      shapeEditor: shape && {
        shape,
        drawing,
        onChange: (s: Shape) => setShape(s),
        onDeleteVertex: (ref) => setShape(deleteVertex(shape, ref)),
        onInsertVertex: (ref, at) => setShape(insertVertex(shape, ref, at)),
        onFinish: drawing ? () => setShape(shape, true) : undefined,
        vertexTitle: t('vertexTitle'),
      },
      setShape,
    };
  }, [mode, place, setShape, t]);
}
