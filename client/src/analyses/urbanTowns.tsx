/**
 * The towns a bureau marks urban besides the 街道 (fire coverage's urban/rural rule, GB 51080-2015
 * §4.1.3 in urban towns): one checkbox per town of the county, kept per county so that switching
 * county never sends another county's codes. Fire coverage and fire-station siting offer it alike.
 */
import { useContext } from 'react';
import { boundaryRole } from '../../../core/catalogue/roles';
import { OneMapContext } from '../frame/oneMap';
import { useI18n } from '../i18n';

/** Marked towns by county code. */
export type MarkedTowns = Record<string, string[]>;

/** The codes marked in a county (none when nothing is marked there). */
export const markedIn = (marked: MarkedTowns, county: string): string[] => marked[county] ?? [];

/** The county's towns that are not 街道 (those are urban anyway), from the loaded admin units. */
function useRuralTowns(): { county?: string; towns: { code: string; name: string }[] } {
  const m = useContext(OneMapContext);
  const county = m?.areaCode;
  const b = boundaryRole();
  const towns = (m?.adminUnits?.features ?? [])
    .map((f) => ({ level: f.properties[b.level], county: f.properties[b.countyCode], code: String(f.properties[b.code]), name: String(f.properties[b.name]) }))
    .filter((x) => x.level === b.town && x.county === county && !x.name.endsWith('街道'))
    .map(({ code, name }) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return { county, towns };
}

export function UrbanTowns({ marked, onChange }: { marked: MarkedTowns; onChange(marked: MarkedTowns): void }) {
  const { t } = useI18n();
  const { county, towns } = useRuralTowns();
  if (!county) return null;
  const here = markedIn(marked, county);
  return (
    <fieldset className="enum-filter param-urban-towns" data-param="urbanTowns">
      <legend>{t('fireUrbanTowns')}</legend>
      {towns.length === 0 && <p className="param-note">{t('fireUrbanTownsNone')}</p>}
      {towns.map((o) => (
        <label key={o.code} className="chip">
          <input
            type="checkbox"
            checked={here.includes(o.code)}
            onChange={(e) => onChange({ ...marked, [county]: e.target.checked ? [...here, o.code] : here.filter((c) => c !== o.code) })}
          />
          {o.name}
        </label>
      ))}
    </fieldset>
  );
}
