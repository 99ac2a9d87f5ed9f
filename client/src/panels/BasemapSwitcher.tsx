/** Chooses the offline background or one of the configured online basemaps. */
import type { Basemap } from '../api/config';
import { useI18n } from '../i18n';
import { OFFLINE } from '../map/baseStyle';

interface Props {
  basemaps: Basemap[];
  value: string;
  onChange(id: string): void;
}

export function BasemapSwitcher({ basemaps, value, onChange }: Props) {
  const { t, l } = useI18n();
  if (basemaps.length === 0) return null;
  return (
    <label className="basemap-switcher">
      <span className="visually-hidden">{t('basemap')}</span>
      <select data-testid="basemap" value={value} onChange={(e) => onChange(e.target.value)} title={t('basemap')}>
        <option value={OFFLINE}>{t('basemapOffline')}</option>
        {basemaps.map((b) => (
          <option key={b.id} value={b.id}>
            {l(b.name)}
          </option>
        ))}
      </select>
    </label>
  );
}
