/**
 * The isochrone in the client: origins picked on the map (or the selected feature), thresholds
 * typed as "15, 30, 60", the rings on the map with their legend, a summary and a chart of the
 * persons each ring reaches. Anyone may run it.
 */
import type { IsochroneResult } from '../../../../core/analysis/isochrone/isochrone';
import { ISOCHRONE, RESCUE_CIRCLE, type IsochroneBody } from '../../../../core/analysis/isochrone/request';
import type { Mode } from '../../../../core/network/graph';
import { tagFeatures } from '../../export';
import { useI18n } from '../../i18n';
import { formatDuration } from '../../i18n/duration';
import { GOOD } from '../../map/analysisLayers';
import type { ClientAnalysis, FormProps, LonLat, Run } from '../types';
import { isochroneBbox, isochroneLayers, isochroneLegend, originMarkers } from './layers';
import { originReason, populationBasis } from './notes';
import { RESCUE_MINUTES } from './rescue';

export interface IsochroneDraft {
  origins: LonLat[];
  minutes: string;
  mode: Mode;
}
type IsochroneRun = Run<'isochrone', IsochroneBody, IsochroneResult>;

/** The thresholds typed as "15, 30, 60" (or with 、 or spaces); undefined unless all are positive numbers. */
export function parseMinutes(text: string): number[] | undefined {
  const values = text.split(/[\s,，、;；]+/).filter(Boolean).map(Number);
  return values.length > 0 && values.every((v) => Number.isFinite(v) && v > 0) ? values : undefined;
}

const DEFAULT_DRAFT: IsochroneDraft = { origins: [], minutes: RESCUE_MINUTES.join(', '), mode: RESCUE_CIRCLE.mode };

function IsochroneForm({ draft, onChange, picking, onPicking, selected }: FormProps<IsochroneDraft>) {
  const { t } = useI18n();
  const add = (p: LonLat) => onChange({ ...draft, origins: [...draft.origins, p] });
  return (
    <div className="analysis-form" data-form="isochrone">
      <div className="param">
        <span className="param-label">{t('paramOrigins')}</span>
        {draft.origins.length === 0 && <p className="muted param-note">{t('noOrigins')}</p>}
        <ul className="origins">
          {draft.origins.map((p, i) => (
            <li key={`${i}:${p.join(',')}`}>
              {p[0].toFixed(5)}, {p[1].toFixed(5)}
              <button
                type="button"
                className="icon-button"
                aria-label={t('removeOrigin')}
                onClick={() => onChange({ ...draft, origins: draft.origins.filter((_, k) => k !== i) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="param-actions">
          <button type="button" aria-pressed={picking} data-testid="pick-origin" onClick={() => onPicking(!picking)}>
            {picking ? t('pickingOrigin') : t('pickOrigin')}
          </button>
          {selected && (
            <button type="button" onClick={() => add(selected.position)}>
              {t('useSelected', { name: selected.name })}
            </button>
          )}
        </div>
      </div>
      <div className="param" data-param="minutes">
        <label>
          <span className="param-label">{t('paramMinutes')}</span>
          <input type="text" inputMode="decimal" value={draft.minutes} onChange={(e) => onChange({ ...draft, minutes: e.target.value })} />
          <span className="param-unit">{t('unitMinutes')}</span>
        </label>
        <p className="param-basis">
          {t('rescueCircleBasis')}
          <button type="button" className="link-button" onClick={() => onChange({ ...draft, minutes: DEFAULT_DRAFT.minutes, mode: 'drive' })}>
            {t('rescuePreset')}
          </button>
        </p>
      </div>
      <label className="param-select">
        <span className="param-label">{t('paramMode')}</span>
        <select value={draft.mode} onChange={(e) => onChange({ ...draft, mode: e.target.value as typeof draft.mode })}>
          <option value="drive">{t('modeDrive')}</option>
          <option value="walk">{t('modeWalk')}</option>
        </select>
      </label>
    </div>
  );
}

export const isochrone: ClientAnalysis<'isochrone', IsochroneBody, IsochroneResult, IsochroneDraft> = {
  definition: ISOCHRONE,
  name: 'kindIsochrone',
  hint: 'kindIsochroneHint',
  perCounty: false,
  params: { origins: 'paramOrigins', minutes: 'paramMinutes', mode: 'paramMode' },
  defaultDraft: DEFAULT_DRAFT,
  Form: IsochroneForm,
  request(draft) {
    const minutes = parseMinutes(draft.minutes);
    if (draft.origins.length === 0) return { problem: 'needOrigins' };
    if (!minutes) return { problem: 'needMinutes' };
    return { body: { origins: draft.origins, minutes, mode: draft.mode } };
  },
  layers: (run: IsochroneRun, _admin, i18n) => isochroneLayers('analysis-isochrone', run.data, run.body.origins as LonLat[], i18n),
  legend: (run, i18n) => [isochroneLegend(run.data, i18n)],
  tables: () => [],
  chart(run, i18n) {
    const { t, n } = i18n;
    const rings = run.data.features;
    return {
      title: t('chartRings'),
      max: Math.max(1, ...rings.map((f) => f.properties.population ?? 0)),
      bars: rings.map((f, i) => ({
        key: String(i),
        label: t(f.properties.method === 'network' ? 'minutesShort' : 'minutesStraight', { duration: formatDuration(f.properties.minutes, i18n) }),
        segments: [{ value: f.properties.population ?? 0, color: f.properties.method === 'network' ? GOOD : '#7e57c2', title: n(f.properties.population ?? 0, 0) }],
        text: n(f.properties.population ?? 0, 0),
      })),
    };
  },
  summary(run, i18n) {
    const { t, n } = i18n;
    const lines = run.data.features.map((f) => {
      const p = f.properties;
      return t(p.method === 'network' ? 'summaryRing' : 'summaryRingStraight', {
        duration: formatDuration(p.minutes, i18n),
        persons: p.population === null ? '—' : n(p.population, 0),
        area: n(p.areaKm2, 1),
      });
    });
    const fallback = run.data.origins.filter((o) => o.method === 'straight-line');
    const population = populationBasis(run.data, i18n);
    return {
      lines,
      details: fallback.length ? { title: t('straightLineOrigins', { count: fallback.length }), items: fallback.map((o) => `#${o.index + 1}: ${originReason(o, i18n)}`) } : undefined,
      basis: population ? { label: t('populationWeighting'), text: population } : undefined,
    };
  },
  geojson: (run) => ({
    features: tagFeatures('isochrone', run.data.features),
    parameters: { ...run.body, origins: run.data.origins.map((o) => ({ ...o, lonLat: run.body.origins[o.index] })) },
  }),
  bbox: (run) => isochroneBbox(run.data),
  draftLayers: (draft) => (draft.origins.length ? originMarkers(draft.origins) : undefined),
  pick: (draft, point) => ({ ...draft, origins: [...draft.origins, point] }),
};
