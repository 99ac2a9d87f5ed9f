/**
 * The layers the caller may see: toggle, feature count, and per layer an opacity slider, filters,
 * its table, its export and (for staff, point layers) adding a feature on the map.
 */
import { lazy, Suspense, useState } from 'react';
import type { Filters } from '../api/features';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { LayerFilters } from './LayerFilters';
import { Swatch } from './Swatch';

const LayerExport = lazy(() => import('./LayerExport'));

export interface LayerStatus {
  /** Features matching the current filters, once loaded. */
  matched?: number;
  /** Of those, the ones inside the current map view. */
  inView?: number;
  loading: boolean;
  error?: string;
}

interface Props {
  layers: Layer[];
  visibility: Record<string, boolean>;
  opacity: Record<string, number>;
  filters: Record<string, Filters>;
  status: Record<string, LayerStatus>;
  onToggle(id: string, visible: boolean): void;
  onOpacity(id: string, opacity: number): void;
  onFilter(id: string, field: string, values: string[]): void;
  /** Opens the layer's table. */
  onTable(id: string): void;
  /** Starts adding a feature (staff only; absent for the public). */
  onAdd?: (id: string) => void;
}

export function LayerPanel(props: Props) {
  const { t, l, n } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  // Top of the list is top of the map: the catalogue's draw order, highest first.
  const layers = [...props.layers].sort((a, b) => b.order - a.order);
  return (
    <section className="layer-panel" aria-label={t('layers')}>
      <h2>{t('layers')}</h2>
      <ul>
        {layers.map((layer) => {
          const visible = props.visibility[layer.id] ?? false;
          const status = props.status[layer.id];
          const matched = status?.matched;
          const count = matched !== undefined && matched !== layer.count ? t('matchedOf', { matched: n(matched), total: n(layer.count) }) : n(layer.count);
          const expanded = open === layer.id;
          return (
            <li key={layer.id} className="layer-row" data-layer-row={layer.id}>
              <div className="layer-line">
                <label title={l(layer.description)}>
                  <input type="checkbox" data-layer={layer.id} checked={visible} onChange={(e) => props.onToggle(layer.id, e.target.checked)} />
                  <Swatch layer={layer} color={layer.symbol.color} />
                  <span className="layer-name">{l(layer.name)}</span>
                </label>
                <span className="count" title={t('featureCount')} data-count={layer.id}>
                  {visible && status?.loading ? t('loading') : count}
                </span>
                <button
                  type="button"
                  className="icon-button"
                  aria-expanded={expanded}
                  aria-label={`${l(layer.name)} ${t('filters')}`}
                  onClick={() => setOpen(expanded ? null : layer.id)}
                >
                  {expanded ? '▾' : '▸'}
                </button>
              </div>
              {visible && status?.inView !== undefined && (
                <p className="muted in-view" data-in-view={layer.id} title={t('inViewTitle')}>
                  {t('inView', { n: n(status.inView) })}
                </p>
              )}
              {status?.error && <p className="error">{t('loadFailed', { message: status.error })}</p>}
              {expanded && (
                <div className="layer-details">
                  <p className="muted">{l(layer.description)}</p>
                  <label className="opacity">
                    {t('opacity')}
                    <input
                      type="range"
                      min={0}
                      max={1}
                      step={0.05}
                      value={props.opacity[layer.id] ?? 1}
                      data-opacity={layer.id}
                      onChange={(e) => props.onOpacity(layer.id, Number(e.target.value))}
                    />
                  </label>
                  <LayerFilters layer={layer} filters={props.filters[layer.id] ?? {}} onChange={(field, values) => props.onFilter(layer.id, field, values)} />
                  <div className="layer-tools">
                    <button type="button" onClick={() => props.onTable(layer.id)} data-testid={`table-${layer.id}`}>
                      {t('openTable')}
                    </button>
                    <Suspense fallback={null}>
                      <LayerExport layerId={layer.id} filters={props.filters[layer.id]} />
                    </Suspense>
                    {props.onAdd && (
                      <button type="button" onClick={() => props.onAdd!(layer.id)} data-testid={`add-${layer.id}`}>
                        {t('addFeature')}
                      </button>
                    )}
                  </div>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
