/**
 * The coordinate system of the file, in the words a planner knows it by: where the coordinates
 * were copied from (GPS, 天地图, 高德, 百度, a surveyor's Gauss–Krüger grid), with the choice explained.
 */
import { gaussKrugerOfEpsg } from '../../../core/geo/crs';
import type { CrsCandidate } from '../api/import';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

const NAMED: { value: string; label: MessageKey; hint: MessageKey }[] = [
  { value: 'auto', label: 'crsAuto', hint: 'crsAutoHint' },
  { value: 'wgs84', label: 'crsWgs84', hint: 'crsWgs84Hint' },
  { value: 'cgcs2000', label: 'crsCgcs2000', hint: 'crsCgcs2000Hint' },
  { value: 'gcj02', label: 'crsGcj02', hint: 'crsGcj02Hint' },
  { value: 'bd09', label: 'crsBd09', hint: 'crsBd09Hint' },
];

/** The CGCS2000 Gauss–Krüger codes (core/geo/crs.ts). */
const GK_CODES = Array.from({ length: 4554 - 4491 + 1 }, (_, i) => 4491 + i);
const isGk = (crs: string): boolean => /^EPSG:\d+$/i.test(crs) && gaussKrugerOfEpsg(Number(crs.slice(5))) !== undefined;

const candidateCrs = (c: CrsCandidate): string => c;

/** Display name of a CRS value: "GCJ-02", "EPSG:4545". */
export function useCrsName(): (crs: string) => string {
  const { t } = useI18n();
  return (crs) => {
    const named = NAMED.find((o) => o.value === crs.toLowerCase());
    return named ? t(named.label) : crs.toUpperCase();
  };
}

interface Props {
  value: string;
  onChange(crs: string): void;
  /** What the server suggests for this file (dry-run report). */
  candidates?: CrsCandidate[];
}

export function CrsChooser({ value, onChange, candidates }: Props) {
  const { t } = useI18n();
  const crsName = useCrsName();
  const gk = isGk(value);
  const named = NAMED.find((o) => o.value === value);
  const gkLabel = (code: number): string => {
    const g = gaussKrugerOfEpsg(code)!;
    const width = code <= 4512 ? 6 : 3;
    const prefixed = g.falseEasting > 1e6;
    return t(prefixed ? 'gkZoneLabel' : 'gkMeridianLabel', { code, width, zone: Math.floor(g.falseEasting / 1e6), meridian: g.lon0 });
  };
  const suggested = (candidates ?? []).map(candidateCrs).filter((c) => c.toLowerCase() !== value.toLowerCase());
  return (
    <div className="crs-chooser">
      <label className="import-field">
        <span>{t('importCrs')}</span>
        <select data-testid="import-crs" value={gk ? 'gk' : value} onChange={(e) => onChange(e.target.value === 'gk' ? 'EPSG:4545' : e.target.value)}>
          {NAMED.map((o) => (
            <option key={o.value} value={o.value}>
              {t(o.label)}
            </option>
          ))}
          <option value="gk">{t('crsGk')}</option>
        </select>
      </label>
      {gk && (
        <label className="import-field">
          <span>{t('crsGkCode')}</span>
          <select data-testid="import-crs-gk" value={value.toUpperCase()} onChange={(e) => onChange(e.target.value)}>
            {GK_CODES.map((code) => (
              <option key={code} value={`EPSG:${code}`}>
                {gkLabel(code)}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="muted hint">{t(gk ? 'crsGkHint' : (named?.hint ?? 'crsAutoHint'))}</p>
      {suggested.length > 0 && (
        <p className="crs-suggested">
          {t('crsSuggested')}
          {suggested.map((c) => (
            <button key={c} type="button" className="link-button" onClick={() => onChange(c)}>
              {crsName(c)}
            </button>
          ))}
        </p>
      )}
    </div>
  );
}
