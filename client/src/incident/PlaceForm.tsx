/**
 * What and where: the incident's type, time, title, place (clicked on the map, searched by name,
 * typed as coordinates in a stated CRS, or a geohazard point), its area and the people affected
 * (typed, or left empty to estimate them from the population surface within the area).
 */
import { useState } from 'react';
import type { Geometry } from 'geojson';
import type { IncidentHazard } from '../../../core/incident/schema';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { geometryBbox } from '../map/camera';
import { SearchBox } from '../panels/SearchBox';
import { draftProblem, type AreaKind, type IncidentDraft, type OriginCrs } from './draft';
import { HAZARD_NAME } from './hazards';

interface GeohazardPoint {
  id: string;
  name: string;
  town: string;
  position: [number, number];
}

interface Props {
  draft: IncidentDraft;
  hazards: readonly IncidentHazard[];
  layers: Layer[];
  geohazards: GeohazardPoint[];
  picking: boolean;
  onPicking(on: boolean): void;
  onChange(change: Partial<IncidentDraft>): void;
  titlePlaceholder: string;
}

const CRS: { value: OriginCrs; label: MessageKey }[] = [
  { value: 'wgs84', label: 'crsWgs84' },
  { value: 'gcj02', label: 'crsGcj02' },
  { value: 'bd09', label: 'crsBd09' },
];

const AREA_KINDS: { value: AreaKind; label: MessageKey; unit: MessageKey }[] = [
  { value: 'radiusM', label: 'incAreaRadius', unit: 'incUnitMetres' },
  { value: 'driveMinutes', label: 'incAreaDrive', unit: 'unitMinutes' },
  { value: 'walkMinutes', label: 'incAreaWalk', unit: 'unitMinutes' },
];

/** A point for any searched feature: a point itself, else the middle of its extent. */
function pointOf(g: Geometry): [number, number] {
  if (g.type === 'Point') return g.coordinates as [number, number];
  const b = geometryBbox(g);
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

export function PlaceForm({ draft, hazards, layers, geohazards, picking, onPicking, onChange, titlePlaceholder }: Props) {
  const { t, n } = useI18n();
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [typedCrs, setTypedCrs] = useState<OriginCrs>('wgs84');
  const typed = [Number(lon), Number(lat)] as [number, number];
  const typedOk = lon.trim() !== '' && lat.trim() !== '' && typed.every(Number.isFinite) && Math.abs(typed[0]) <= 180 && Math.abs(typed[1]) <= 90;
  const problem = draftProblem(draft, true);
  const stored = Boolean(draft.id);
  const areaKind = AREA_KINDS.find((a) => a.value === draft.areaKind)!;

  return (
    <section className="incident-form" aria-label={t('incPlace')} data-testid="incident-form">
      <div className="incident-row">
        <label>
          <span>{t('incHazard')}</span>
          <select data-testid="incident-hazard" value={draft.hazard} onChange={(e) => onChange({ hazard: e.target.value as IncidentHazard })}>
            {hazards.map((h) => (
              <option key={h} value={h}>
                {t(HAZARD_NAME[h])}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('incTime')}</span>
          <input type="text" data-testid="incident-time" value={draft.occurredAt} placeholder="2026-07-15 08:30" onChange={(e) => onChange({ occurredAt: e.target.value })} />
        </label>
      </div>
      <label className="incident-field">
        <span>{t('incTitle')}</span>
        <input type="text" data-testid="incident-title" value={draft.title} placeholder={titlePlaceholder} onChange={(e) => onChange({ title: e.target.value })} />
      </label>

      <fieldset className="incident-place" disabled={stored}>
        <legend>{t('incPlace')}</legend>
        {stored && <p className="muted hint">{t('incPlaceFixed')}</p>}
        <p className="incident-where" data-testid="incident-where">
          {draft.origin ? (
            <>
              <strong>{draft.placeName ?? t('incPointOnMap')}</strong>{' '}
              <span className="muted">
                {n(draft.origin[0], 5)}, {n(draft.origin[1], 5)} · {t(CRS.find((c) => c.value === draft.crs)!.label)}
              </span>
            </>
          ) : (
            <span className="muted">{t('incNoPlace')}</span>
          )}
        </p>
        <div className="incident-place-ways">
          <button type="button" data-testid="incident-pick" aria-pressed={picking} onClick={() => onPicking(!picking)}>
            {picking ? t('incPicking') : t('incPickOnMap')}
          </button>
          <SearchBox layers={layers} onPick={(_layer, f) => f.geometry && onChange({ origin: pointOf(f.geometry), crs: 'wgs84', placeName: String(f.properties.name ?? f.id) })} />
        </div>
        <div className="incident-coords">
          <input type="text" inputMode="decimal" aria-label={t('incLon')} placeholder={t('incLon')} data-testid="incident-lon" value={lon} onChange={(e) => setLon(e.target.value)} />
          <input type="text" inputMode="decimal" aria-label={t('incLat')} placeholder={t('incLat')} data-testid="incident-lat" value={lat} onChange={(e) => setLat(e.target.value)} />
          <select aria-label={t('incCrs')} data-testid="incident-crs" value={typedCrs} onChange={(e) => setTypedCrs(e.target.value as OriginCrs)}>
            {CRS.map((c) => (
              <option key={c.value} value={c.value}>
                {t(c.label)}
              </option>
            ))}
          </select>
          <button type="button" data-testid="incident-locate" disabled={!typedOk} onClick={() => onChange({ origin: typed, crs: typedCrs, placeName: undefined })}>
            {t('incLocate')}
          </button>
        </div>
        {geohazards.length > 0 && (
          <label className="incident-field">
            <span>{t('incFromGeohazard')}</span>
            <select
              data-testid="incident-geohazard"
              value=""
              onChange={(e) => {
                const g = geohazards.find((x) => x.id === e.target.value);
                if (g) onChange({ origin: g.position, crs: 'wgs84', placeName: g.name, hazard: 'geohazard' });
              }}
            >
              <option value="">{t('incChooseGeohazard', { count: geohazards.length })}</option>
              {[...geohazards]
                .sort((a, b) => a.town.localeCompare(b.town, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'))
                .map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.town ? `${g.town} · ${g.name}` : g.name}
                  </option>
                ))}
            </select>
          </label>
        )}
      </fieldset>

      <div className="incident-row">
        <label>
          <span>{t('incArea')}</span>
          <span className="incident-inline">
            <select data-testid="incident-area-kind" value={draft.areaKind} onChange={(e) => onChange({ areaKind: e.target.value as AreaKind, areaValue: e.target.value === 'radiusM' ? '1000' : '15' })}>
              {AREA_KINDS.map((a) => (
                <option key={a.value} value={a.value}>
                  {t(a.label)}
                </option>
              ))}
            </select>
            <input type="text" inputMode="decimal" className="short" data-testid="incident-area-value" value={draft.areaValue} onChange={(e) => onChange({ areaValue: e.target.value })} />
            <span className="muted">{t(areaKind.unit)}</span>
          </span>
        </label>
        <label>
          <span>{t('incAffected')}</span>
          <span className="incident-inline">
            <input
              type="text"
              inputMode="numeric"
              data-testid="incident-affected"
              value={draft.affectedPersons}
              placeholder={t('incAffectedEstimate')}
              onChange={(e) => onChange({ affectedPersons: e.target.value })}
            />
            <span className="muted">{t('unitPersons')}</span>
          </span>
        </label>
      </div>
      {problem && problem !== 'incNeedPlace' && (
        <p className="error" role="alert">
          {t(problem)}
        </p>
      )}
    </section>
  );
}
