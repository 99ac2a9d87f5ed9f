/**
 * Details of the selected feature: every field the caller may see, labelled from the catalogue.
 * Staff also get its editing (the `editor`, loaded with the editing tools): the attribute form,
 * moving the point (reshaping a line or polygon), deleting it.
 */
import { Suspense, useState, type ComponentType, type ReactNode } from 'react';
import type { Point } from 'geojson';
import type { Area } from '../api/areas';
import type { VersionedFeature } from '../api/edit';
import { useFeature } from '../api/features';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { FieldValue } from './FieldValue';
import { Swatch } from './Swatch';
import { featureColor, isPlanned } from '../map/symbols';

/** The edit actions of the shown feature, or its attribute form while `editing`. */
export interface FeatureEditorProps {
  layer: Layer;
  feature: VersionedFeature;
  areas: Area[];
  editing: boolean;
  onEditing(editing: boolean): void;
  onMove?(): void;
  onDeleted(): void;
}

interface Props {
  layer: Layer;
  fid: string;
  areas: Area[];
  onClose(): void;
  /** Given to commanders and admins. */
  editor?: ComponentType<FeatureEditorProps>;
  /** Starts moving the point, or reshaping the line or polygon, on the map. */
  onMove?(feature: VersionedFeature): void;
  /** Shown above the fields (the rescue circle of a station). */
  children?: ReactNode;
}

export function DetailPanel({ layer, fid, areas, onClose, editor: Editor, onMove, children }: Props) {
  const { t, l } = useI18n();
  const feature = useFeature(layer.id, fid);
  const [editing, setEditing] = useState(false);
  const data = feature.data as VersionedFeature | undefined;
  const props = feature.data?.properties;
  const name = typeof props?.name === 'string' ? props.name : fid;
  const point = feature.data?.geometry?.type === 'Point' ? (feature.data.geometry as Point).coordinates : undefined;
  return (
    <aside className="detail-panel" aria-label={t('detail')} data-testid="detail">
      <header>
        {props && <Swatch layer={layer} color={featureColor(layer, props)} hollow={isPlanned(props)} />}
        <div>
          <h2>{name}</h2>
          <p className="muted">{l(layer.name)}</p>
        </div>
        <button type="button" className="icon-button close" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="detail-body">
        {feature.isPending && <p>{t('loading')}</p>}
        {feature.error && <p className="error">{t('loadFailed', { message: feature.error.message })}</p>}
        {Editor && data && (
          <Suspense fallback={null}>
            <Editor layer={layer} feature={data} areas={areas} editing={editing} onEditing={setEditing} onMove={onMove ? () => onMove(data) : undefined} onDeleted={onClose} />
          </Suspense>
        )}
        {/* Hidden, not unmounted, while editing: a station's rescue circle stays on the map. */}
        {children && <div hidden={editing}>{children}</div>}
        {props && !editing && (
          <dl>
            {layer.fields.map((field) => (
              <div key={field.name} className={`field field-${field.type}`} data-field={field.name}>
                <dt>
                  {l(field.label)}
                  {field.basis && (
                    <span className="basis" title={t('basis')}>
                      {t('basis')}: {typeof field.basis === 'string' ? field.basis : l(field.basis)}
                    </span>
                  )}
                </dt>
                <dd>
                  <FieldValue field={field} value={props[field.name]} areas={areas} />
                </dd>
              </div>
            ))}
            {point && (
              <div className="field" data-field="_coordinates">
                <dt>{t('coordinates')}</dt>
                <dd>
                  {point[0].toFixed(5)}, {point[1].toFixed(5)}
                </dd>
              </div>
            )}
          </dl>
        )}
      </div>
    </aside>
  );
}
