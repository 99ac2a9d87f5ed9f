/** Chooses one of the districts/counties; the map fits its extent. */
import type { Area } from '../api/areas';
import { useI18n } from '../i18n';

interface Props {
  areas: Area[];
  value?: string;
  onChange(area: Area): void;
}

export function AreaSwitcher({ areas, value, onChange }: Props) {
  const { t, l, n } = useI18n();
  return (
    <label className="area-switcher">
      <span className="visually-hidden">{t('area')}</span>
      <select
        data-testid="area"
        value={value ?? ''}
        onChange={(e) => {
          const area = areas.find((a) => a.code === e.target.value);
          if (area) onChange(area);
        }}
      >
        {!value && <option value="">{t('area')}</option>}
        {areas.map((a) => (
          <option key={a.code} value={a.code} title={t('population', { n: n(a.population), source: a.populationSource })}>
            {l(a.name)}
          </option>
        ))}
      </select>
    </label>
  );
}
