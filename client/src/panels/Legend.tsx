/** The legend: for each visible layer, the symbol of every class its `symbol.by` field names. */
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import { hasPlannedStatus, symbolOptions } from '../map/symbols';
import { Swatch } from './Swatch';

export function Legend({ layers }: { layers: Layer[] }) {
  const { t, l } = useI18n();
  if (layers.length === 0) return null;
  return (
    <section className="legend" aria-label={t('legend')}>
      <h2>{t('legend')}</h2>
      {layers.map((layer) => {
        const options = symbolOptions(layer);
        const by = layer.fields.find((f) => f.name === layer.symbol.by);
        return (
          <div key={layer.id} className="legend-layer" data-legend={layer.id}>
            <h3>
              {l(layer.name)}
              {by && <span className="muted"> · {l(by.label)}</span>}
            </h3>
            <ul>
              {options.length === 0 && (
                <li>
                  <Swatch layer={layer} color={layer.symbol.color} /> {l(layer.name)}
                </li>
              )}
              {options.map((o) => (
                <li key={o.value}>
                  <Swatch layer={layer} color={o.color ?? layer.symbol.color} /> {l(o)}
                </li>
              ))}
              {layer.geometry === 'Point' && hasPlannedStatus(layer) && (
                <li>
                  <Swatch layer={layer} color={layer.symbol.color} hollow /> {t('planned')}
                </li>
              )}
            </ul>
            {by?.basis && (
              <p className="basis">
                {t('basis')}: {typeof by.basis === 'string' ? by.basis : l(by.basis)}
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}
