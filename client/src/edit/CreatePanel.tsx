/** The form of a new feature, below the point and shape panels that place or draw it. */
import { useState, type ReactNode } from 'react';
import type { Geometry } from 'geojson';
import { geometryProblem } from '../../../core/catalogue/validate';
import { fieldErrorsOf, useFeatureWrites } from '../api/edit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { FeatureForm } from './FeatureForm';
import type { EditSessionState, OnSaved } from './useEditSession';

interface CreateProps {
  session: EditSessionState;
  layer: Layer;
  /** Where the new feature is, once placed (or drawn and finished). */
  geometry?: Geometry;
  /** What the user does on the map now. */
  hint: string;
  onSelect: OnSaved;
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
