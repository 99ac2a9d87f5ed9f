/**
 * District and town filters for the resource layers (sent as `?county_code=` and `?town=`).
 * Town choices are the towns of the chosen district, from the admin_units layer.
 */
import type { Area } from '../api/areas';
import { useI18n } from '../i18n';

export interface Place {
  county?: string;
  town?: string;
}

interface Props {
  areas: Area[];
  /** Town names by county code. */
  towns: Record<string, string[]>;
  place: Place;
  onChange(place: Place): void;
  /** Whether any filter (place or layer) is set, which offers "clear filters". */
  active: boolean;
  onClear(): void;
}

export function PlaceFilter({ areas, towns, place, onChange, active, onClear }: Props) {
  const { t, l } = useI18n();
  const choices = place.county ? (towns[place.county] ?? []) : [];
  return (
    <section className="place-filter" aria-label={t('filters')}>
      <h2>{t('filters')}</h2>
      <label>
        {t('district')}
        <select data-filter="county_code" value={place.county ?? ''} onChange={(e) => onChange({ county: e.target.value || undefined })}>
          <option value="">{t('all')}</option>
          {areas.map((a) => (
            <option key={a.code} value={a.code}>
              {l(a.name)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('town')}
        <select
          data-filter="town"
          value={place.town ?? ''}
          disabled={choices.length === 0}
          onChange={(e) => onChange({ ...place, town: e.target.value || undefined })}
        >
          <option value="">{t('all')}</option>
          {choices.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {active && (
        <button type="button" className="link-button" onClick={onClear}>
          {t('clearFilters')}
        </button>
      )}
    </section>
  );
}
