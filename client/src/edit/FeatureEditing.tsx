/**
 * What staff can do to a feature in the detail panel: edit its attributes (the catalogue form,
 * saved as a PATCH of the changed fields on the version it was opened at), move it (on the map, see
 * EditSession) and delete it after confirming.
 */
import { useState } from 'react';
import type { Area } from '../api/areas';
import { conflictOf, useFeatureWrites, type VersionedFeature } from '../api/edit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import type { FeatureEditorProps } from '../panels/DetailPanel';
import { FeatureForm } from './FeatureForm';
import { changedProperties } from './formValues';
import { useGuardedSave } from './useGuardedSave';

interface EditProps {
  layer: Layer;
  feature: VersionedFeature;
  areas: Area[];
  onDone(): void;
}

/** The attribute form of an existing feature. */
function FeatureEdit({ layer, feature, areas, onDone }: EditProps) {
  const { t } = useI18n();
  // The version the user is editing; replaced when they reload after a conflict.
  const [base, setBase] = useState(feature);
  const guarded = useGuardedSave(layer, areas, { onSaved: onDone, onReload: setBase });
  return (
    <>
      <FeatureForm
        key={`${base.id}@${base.version ?? ''}`}
        layer={layer}
        initial={base.properties}
        serverErrors={guarded.fieldErrors}
        busy={guarded.busy}
        error={guarded.error}
        submitLabel={t('save')}
        onCancel={onDone}
        onSubmit={(properties) => {
          const changed = changedProperties(base.properties, properties);
          if (Object.keys(changed).length === 0) onDone();
          else void guarded.save(base, { properties: changed });
        }}
      />
      {guarded.dialog}
    </>
  );
}

interface ActionProps {
  layer: Layer;
  feature: VersionedFeature;
  onEdit(): void;
  /** Moves a point or reshapes a line or polygon on the map. */
  onMove?: () => void;
  onDeleted(): void;
}

/** Edit / Move / Delete, with the delete confirmed in place. */
function FeatureActions({ layer, feature, onEdit, onMove, onDeleted }: ActionProps) {
  const { t } = useI18n();
  const writes = useFeatureWrites();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = String(feature.properties.name ?? feature.id);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await writes.remove(layer.id, feature.id, feature.version ?? 0);
      onDeleted();
    } catch (err) {
      // Changed since it was opened: the panel reloads it; the user decides again on what it is now.
      setError(conflictOf(err) ? t('deleteConflict') : t('saveFailed', { message: (err as Error).message }));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="feature-actions" data-testid="feature-actions">
      {!confirming && (
        <div className="form-actions">
          <button type="button" onClick={onEdit} data-testid="edit-feature">
            {t('edit')}
          </button>
          {onMove && (
            <button type="button" onClick={onMove} data-testid="move-feature">
              {layer.geometry === 'Point' ? t('move') : t('reshape')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setConfirming(true)} data-testid="delete-feature">
            {t('delete')}
          </button>
        </div>
      )}
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={t('delete')} data-testid="delete-confirm">
          <p>{t('deleteConfirm', { name })}</p>
          <div className="form-actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()} data-testid="delete-confirm-yes">
              {t('delete')}
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The detail panel's editing: the actions, or the attribute form while editing. */
export function FeatureEditor({ layer, feature, areas, editing, onEditing, onMove, onDeleted }: FeatureEditorProps) {
  return editing ? (
    <FeatureEdit layer={layer} feature={feature} areas={areas} onDone={() => onEditing(false)} />
  ) : (
    <FeatureActions layer={layer} feature={feature} onEdit={() => onEditing(true)} onMove={onMove} onDeleted={onDeleted} />
  );
}
