/**
 * Editing that goes through the map: moving a point (drag its marker, or click the new position,
 * then save) and adding a feature (click where it is, fill in the form, save). The session owns the
 * draggable marker the map shows and takes the map's clicks while it runs.
 */
import { useCallback, useMemo, useState } from 'react';
import type { Point } from 'geojson';
import type { Area } from '../api/areas';
import { fieldErrorsOf, useFeatureWrites, type VersionedFeature } from '../api/edit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { FeatureForm } from './FeatureForm';
import { useGuardedSave } from './useGuardedSave';

export type LonLat = [number, number];

type Mode =
  | { kind: 'move'; layerId: string; feature: VersionedFeature; position: LonLat }
  | { kind: 'create'; layerId: string; position?: LonLat };

export interface EditSessionState {
  mode: Mode | null;
  startMove(layerId: string, feature: VersionedFeature): void;
  startCreate(layerId: string): void;
  end(): void;
  /** While set, the map's clicks place the point here. */
  onPickPoint?: (p: LonLat) => void;
  /** The draggable marker the map shows. */
  marker?: { position: LonLat; onMove(p: LonLat): void };
}

/** `allowed`: the user may edit now (signing out ends a session). */
export function useEditSession(allowed: boolean): EditSessionState {
  const [started, setMode] = useState<Mode | null>(null);
  const mode = allowed ? started : null;
  const place = useCallback((p: LonLat) => setMode((m) => m && { ...m, position: p }), []);
  return useMemo(
    () => ({
      mode,
      startMove: (layerId, feature) => {
        if (feature.geometry?.type === 'Point') setMode({ kind: 'move', layerId, feature, position: (feature.geometry as Point).coordinates as LonLat });
      },
      startCreate: (layerId) => setMode({ kind: 'create', layerId }),
      end: () => setMode(null),
      onPickPoint: mode ? place : undefined,
      marker: mode?.position && { position: mode.position, onMove: place },
    }),
    [mode, place],
  );
}

interface Props {
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
  return mode.kind === 'move' ? (
    <MoveBar key={mode.feature.id} session={session} layer={layer} feature={mode.feature} position={mode.position} areas={areas} onSelect={onSelect} />
  ) : (
    <CreatePanel session={session} layer={layer} position={mode.position} onSelect={onSelect} />
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
  position?: LonLat;
  onSelect: Props['onSelect'];
}

function CreatePanel({ session, layer, position, onSelect }: CreateProps) {
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
          <p className="muted">{position ? t('dragToAdjust') : t('clickToPlace')}</p>
        </div>
        <button type="button" className="icon-button close" aria-label={t('close')} onClick={session.end}>
          ×
        </button>
      </header>
      <div className="detail-body">
        {position && (
          <FeatureForm
            layer={layer}
            initial={{}}
            serverErrors={fieldErrors}
            busy={busy}
            error={error}
            submitLabel={t('create')}
            onCancel={session.end}
            onSubmit={async (properties) => {
              setBusy(true);
              setError(null);
              setFieldErrors({});
              try {
                // Empty fields are left out: the feature simply does not have them yet.
                const given = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
                const created = await writes.create(layer.id, { geometry: { type: 'Point', coordinates: position }, properties: given });
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
            <p className="muted" data-testid="create-position">
              {t('coordinates')}: {lonLatText(position)}
            </p>
          </FeatureForm>
        )}
      </div>
    </aside>
  );
}
