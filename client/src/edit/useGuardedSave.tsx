/**
 * Saving a change to a feature without ever overwriting someone else's: the PATCH names the version
 * the change was made on; if the feature changed since (409), the conflict dialog shows, per changed
 * field, the value it was, the user's value and the current value, and the user chooses to reload
 * (drop their change) or to apply their change on top of the current version.
 */
import { useRef, useState } from 'react';
import type { Geometry, Point } from 'geojson';
import type { Area } from '../api/areas';
import { conflictOf, fieldErrorsOf, useFeatureWrites, type VersionedFeature } from '../api/edit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { FieldValue } from '../panels/FieldValue';
import type { Props } from './formValues';

export interface Change {
  properties?: Props;
  geometry?: Geometry;
}

interface Conflict {
  base: VersionedFeature;
  change: Change;
  current: VersionedFeature;
}

interface Handlers {
  onSaved(feature: VersionedFeature): void;
  /** The user dropped their change for the current feature. */
  onReload(current: VersionedFeature): void;
}

export function useGuardedSave(layer: Layer, areas: Area[], handlers: Handlers) {
  const { t } = useI18n();
  const writes = useFeatureWrites();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const latest = useRef(handlers);
  latest.current = handlers;

  const attempt = async (base: VersionedFeature, on: VersionedFeature, change: Change): Promise<void> => {
    if (on.version === undefined) {
      setError(t('noVersion'));
      return;
    }
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const saved = await writes.update(layer.id, on.id, { version: on.version, ...change });
      setConflict(null);
      latest.current.onSaved(saved);
    } catch (err) {
      const current = conflictOf(err);
      if (current) setConflict({ base, change, current });
      else {
        setConflict(null);
        setFieldErrors(fieldErrorsOf(err));
        setError(t('saveFailed', { message: (err as Error).message }));
      }
    } finally {
      setBusy(false);
    }
  };

  const dialog = conflict && (
    <ConflictDialog
      layer={layer}
      areas={areas}
      conflict={conflict}
      busy={busy}
      onReload={() => {
        setConflict(null);
        latest.current.onReload(conflict.current);
      }}
      onReapply={() => void attempt(conflict.base, conflict.current, conflict.change)}
      onCancel={() => setConflict(null)}
    />
  );

  return {
    /** PATCHes the change made on `base`. */
    save: (base: VersionedFeature, change: Change) => attempt(base, base, change),
    busy,
    error,
    fieldErrors,
    dialog,
  };
}

const position = (g: Geometry | null | undefined) => (g?.type === 'Point' ? (g as Point).coordinates.map((c) => c.toFixed(6)).join(', ') : '—');

interface DialogProps {
  layer: Layer;
  areas: Area[];
  conflict: Conflict;
  busy: boolean;
  onReload(): void;
  onReapply(): void;
  onCancel(): void;
}

function ConflictDialog({ layer, areas, conflict, busy, onReload, onReapply, onCancel }: DialogProps) {
  const { t, l, lang } = useI18n();
  const { base, change, current } = conflict;
  const fields = layer.fields.filter((f) => change.properties && f.name in change.properties);
  return (
    <div className="modal-backdrop">
      <div className="modal conflict-dialog" role="alertdialog" aria-modal="true" aria-labelledby="conflict-title" data-testid="conflict-dialog">
        <h2 id="conflict-title">{t('conflictTitle')}</h2>
        <p>{t('conflictExplain', { version: current.version ?? '?', updated: current.updated_at ? new Date(current.updated_at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') : '—' })}</p>
        <table className="conflict-table">
          <thead>
            <tr>
              <th>{t('field')}</th>
              <th>{t('conflictBase')}</th>
              <th>{t('conflictYours')}</th>
              <th>{t('conflictCurrent')}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field.name} data-conflict-field={field.name}>
                <th>{l(field.label)}</th>
                <td>
                  <FieldValue field={field} value={base.properties[field.name]} areas={areas} />
                </td>
                <td data-value="yours">
                  <FieldValue field={field} value={change.properties![field.name]} areas={areas} />
                </td>
                <td data-value="current">
                  <FieldValue field={field} value={current.properties?.[field.name]} areas={areas} />
                </td>
              </tr>
            ))}
            {change.geometry && (
              <tr data-conflict-field="_geometry">
                <th>{t('coordinates')}</th>
                <td>{position(base.geometry)}</td>
                <td data-value="yours">{position(change.geometry)}</td>
                <td data-value="current">{position(current.geometry)}</td>
              </tr>
            )}
          </tbody>
        </table>
        <div className="form-actions">
          <button type="button" onClick={onReload} disabled={busy} data-testid="conflict-reload">
            {t('conflictReload')}
          </button>
          <button type="button" className="primary" onClick={onReapply} disabled={busy} data-testid="conflict-reapply">
            {t('conflictReapply')}
          </button>
          <button type="button" onClick={onCancel} disabled={busy}>
            {t('cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
