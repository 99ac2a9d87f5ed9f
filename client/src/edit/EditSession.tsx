/**
 * Editing that goes through the map: moving a point (drag its marker, or click the new position,
 * then save), reshaping a line or polygon (drag, insert and delete its vertices, see
 * geometryEditor) and adding a feature (click where it is, or click a line's or polygon's
 * vertices; fill in the form, save). The state is useEditSession; this is its panels.
 */
import { useState } from 'react';
import type { Point } from 'geojson';
import type { Area } from '../api/areas';
import type { VersionedFeature } from '../api/edit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { CreatePanel } from './CreatePanel';
import { DrawPanel, ReshapeBar } from './ShapeEditing';
import type { LonLat } from './shape';
import type { EditSessionState, OnSaved } from './useEditSession';
import { useGuardedSave } from './useGuardedSave';

interface Props {
  session: EditSessionState;
  layers: Layer[];
  areas: Area[];
  onSelect: OnSaved;
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

function PointCreatePanel({ session, layer, position, onSelect }: { session: EditSessionState; layer: Layer; position?: LonLat; onSelect: OnSaved }) {
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
  onSelect: OnSaved;
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
