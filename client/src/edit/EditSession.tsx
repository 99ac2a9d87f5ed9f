/**
 * Editing that goes through the map: moving a point (drag its marker, or click the new position,
 * then save), reshaping a line or polygon (drag, insert and delete its vertices, see
 * geometryEditor) and adding a feature (click where it is, or click a line's or polygon's
 * vertices; fill in the form, save). The session owns what the map shows for it and takes the
 * map's clicks while it runs.
 */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { Geometry, Point } from 'geojson';
import { geometryProblem } from '../../../core/catalogue/validate';
import type { GeometryKind } from '../../../core/catalogue/types';
import type { Area } from '../api/areas';
import { fieldErrorsOf, useFeatureWrites, type VersionedFeature } from '../api/edit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { FeatureForm } from './FeatureForm';
import type { ShapeEditor } from './geometryEditor';
import { DrawPanel, ReshapeBar } from './ShapeEditing';
import { deleteVertex, drawnShape, insertVertex, toShape, type LonLat, type Shape } from './shape';
import { useGuardedSave } from './useGuardedSave';

export type { LonLat };

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

export interface Props {
  session: EditSessionState;
  layers: Layer[];
  areas: Area[];
  /** A created or moved feature is selected afterwards (the map stays where the user placed it). */
  onSelect(layer: Layer, feature: VersionedFeature): void;
}

export function EditSession({ session, layers, areas, onSelect }: Props) {
  const { mode } = session;
  const layer = layers.find((l) => l.id === mode?.layerId);
  // Signed out, or the layer is gone: nothing to edit.
  if (!mode || !layer) return null;
  if (mode.kind === 'reshape') return <ReshapeBar key={mode.feature.id} session={session} layer={layer} feature={mode.feature} shape={mode.shape} areas={areas} onSelect={onSelect} />;
  if (mode.kind === 'draw') return <DrawPanel session={session} layer={layer} shape={mode.shape} finished={mode.finished} onSelect={onSelect} />;
  return mode.kind === 'move' ? (
    <MoveBar key={mode.feature.id} session={session} layer={layer} feature={mode.feature} position={mode.position} areas={areas} onSelect={onSelect} />
  ) : (
    <PointCreatePanel session={session} layer={layer} position={mode.position} onSelect={onSelect} />
  );
}

function PointCreatePanel({ session, layer, position, onSelect }: { session: EditSessionState; layer: Layer; position?: LonLat; onSelect: Props['onSelect'] }) {
  const { t } = useI18n();
  return (
    <CreatePanel session={session} layer={layer} geometry={position && { type: 'Point', coordinates: position }} hint={position ? t('dragToAdjust') : t('clickToPlace')} onSelect={onSelect}>
      {position && (
        <p className="muted" data-testid="create-position">
          {t('coordinates')}: {lonLatText(position)}
        </p>
      )}
    </CreatePanel>
  );
}

const lonLatText = (p: LonLat) => `${p[0].toFixed(6)}, ${p[1].toFixed(6)}`;

interface MoveProps {
  session: EditSessionState;
  layer: Layer;
  feature: VersionedFeature;
  position: LonLat;
  areas: Area[];
  onSelect: Props['onSelect'];
}

function MoveBar({ session, layer, feature, position, areas, onSelect }: MoveProps) {
  const { t } = useI18n();
  const [base, setBase] = useState(feature);
  const guarded = useGuardedSave(layer, areas, {
    onSaved: (saved) => {
      session.end();
      onSelect(layer, saved);
    },
    onReload: (current) => {
      setBase(current);
      if (current.geometry?.type === 'Point') session.marker?.onMove((current.geometry as Point).coordinates as LonLat);
    },
  });
  const from = (base.geometry as Point).coordinates;
  const moved = from[0] !== position[0] || from[1] !== position[1];
  return (
    <div className="edit-bar" role="region" aria-label={t('move')} data-testid="move-bar">
      <p>
        <strong>{t('moveTitle', { name: String(base.properties.name ?? base.id) })}</strong> <span className="muted">{t('moveHint')}</span>
      </p>
      <p className="muted" data-testid="move-position">
        {t('newPosition')}: {lonLatText(position)}
      </p>
      {guarded.error && (
        <p className="error" role="alert">
          {guarded.error}
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={!moved || guarded.busy}
          data-testid="move-save"
          onClick={() => void guarded.save(base, { geometry: { type: 'Point', coordinates: position } })}
        >
          {guarded.busy ? t('saving') : t('savePosition')}
        </button>
        <button type="button" onClick={session.end} disabled={guarded.busy}>
          {t('cancel')}
        </button>
      </div>
      {guarded.dialog}
    </div>
  );
}

interface CreateProps {
  session: EditSessionState;
  layer: Layer;
  /** Where the new feature is, once placed (or drawn and finished). */
  geometry?: Geometry;
  /** What the user does on the map now. */
  hint: string;
  onSelect: Props['onSelect'];
  /** Above the form: the drawing's controls, or the point's coordinates. */
  children?: ReactNode;
}

/** The form of a new feature; it shows once the geometry is there, which is checked before it is sent. */
export function CreatePanel({ session, layer, geometry, hint, onSelect, children }: CreateProps) {
  const { t, l } = useI18n();
  const writes = useFeatureWrites();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  return (
    <aside className="detail-panel create-panel" aria-label={t('addFeature')} data-testid="create-panel">
      <header>
        <div>
          <h2>{t('addFeatureTo', { layer: l(layer.name) })}</h2>
          <p className="muted">{hint}</p>
        </div>
        <button type="button" className="icon-button close" aria-label={t('close')} onClick={session.end}>
          ×
        </button>
      </header>
      <div className="detail-body">
        {!geometry && children}
        {geometry && (
          <FeatureForm
            layer={layer}
            initial={{}}
            serverErrors={fieldErrors}
            busy={busy}
            error={error}
            submitLabel={t('create')}
            onCancel={session.end}
            onSubmit={async (properties) => {
              const problem = geometryProblem(layer, geometry);
              if (problem) {
                setError(t('geometryInvalid', { problem }));
                return;
              }
              setBusy(true);
              setError(null);
              setFieldErrors({});
              try {
                // Empty fields are left out: the feature simply does not have them yet.
                const given = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
                const created = await writes.create(layer.id, { geometry, properties: given });
                session.end();
                onSelect(layer, created);
              } catch (err) {
                setFieldErrors(fieldErrorsOf(err));
                setError(t('saveFailed', { message: (err as Error).message }));
              } finally {
                setBusy(false);
              }
            }}
          >
            {children}
          </FeatureForm>
        )}
      </div>
    </aside>
  );
}
