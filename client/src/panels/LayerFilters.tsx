/** A layer's enum filters (type, class, status …): checked values are sent to the API as `?field=a,b`. */
import type { Filters } from '../api/features';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';

interface Props {
  layer: Layer;
  filters: Filters;
  onChange(field: string, values: string[]): void;
}

export function LayerFilters({ layer, filters, onChange }: Props) {
  const { l } = useI18n();
  const fields = layer.fields.filter((f) => f.filter && f.options && (f.type === 'enum' || f.type === 'enum[]'));
  return (
    <>
      {fields.map((field) => {
        const chosen = filters[field.name] ?? [];
        return (
          <fieldset key={field.name} className="enum-filter" data-filter={`${layer.id}.${field.name}`}>
            <legend>{l(field.label)}</legend>
            {field.options!.map((o) => (
              <label key={o.value} className="chip">
                <input
                  type="checkbox"
                  value={o.value}
                  checked={chosen.includes(o.value)}
                  onChange={(e) => onChange(field.name, e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))}
                />
                {l(o)}
              </label>
            ))}
          </fieldset>
        );
      })}
    </>
  );
}
