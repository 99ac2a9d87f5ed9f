/**
 * In the detail panel of a fire station or rescue team: its 1小时救援圈 (the 60-minute drive
 * isochrone, with the 15- and 30-minute rings), computed as soon as the station is selected and
 * drawn on the map; the population each ring reaches.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { IsochroneResult } from '../../../core/analysis/isochrone';
import { useI18n } from '../i18n';
import { formatDuration } from '../i18n/duration';
import { isochroneLegend } from '../analyses/isochrone/layers';
import { originReason, populationBasis } from '../analyses/isochrone/notes';
import { AnalysisNotes, networkNotesOf } from './AnalysisNotes';
import { AnalysisLegend } from './AnalysisLegend';

interface Props {
  circle: UseQueryResult<IsochroneResult>;
  onFit(): void;
}

export function RescueCircle({ circle, onFit }: Props) {
  const i18n = useI18n();
  const { t, n } = i18n;
  const rings = [...(circle.data?.features ?? [])].sort((a, b) => b.properties.minutes - a.properties.minutes);
  const straight = circle.data?.origins.find((o) => o.method === 'straight-line');
  const population = circle.data && populationBasis(circle.data, i18n);
  return (
    <section className="rescue-circle" data-testid="rescue-circle" aria-busy={circle.isFetching}>
      <h3>{t('rescueCircle')}</h3>
      {circle.isPending && (
        <p className="muted">
          <span className="spinner" aria-hidden /> {t('computing')}
        </p>
      )}
      {circle.error && <p className="error">{t('loadFailed', { message: circle.error.message })}</p>}
      {rings.length > 0 && (
        <>
          <table className="items">
            <thead>
              <tr>
                <th>{t('colTravelTime')}</th>
                <th className="num">{t('withUnit', { label: t('colReached'), unit: t('unitPersons') })}</th>
                <th className="num">{t('withUnit', { label: t('colArea'), unit: 'km²' })}</th>
              </tr>
            </thead>
            <tbody>
              {rings.map((f) => (
                <tr key={`${f.properties.minutes}-${f.properties.method}`} data-minutes={f.properties.minutes} data-method={f.properties.method}>
                  <td>{t(f.properties.method === 'network' ? 'minutesShort' : 'minutesStraight', { duration: formatDuration(f.properties.minutes, i18n) })}</td>
                  <td className="num" data-col="population">
                    {f.properties.population === null ? '—' : n(f.properties.population, 0)}
                  </td>
                  <td className="num">{n(f.properties.areaKm2, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {straight && <p className="muted">{t('rescueStraight', { reason: originReason(straight, i18n) })}</p>}
          <AnalysisNotes notes={networkNotesOf(circle.data)} />
          <AnalysisLegend groups={[isochroneLegend(circle.data!, i18n)]} />
          <button type="button" className="link-button" onClick={onFit} data-testid="fit-rescue-circle">
            {t('fitResult')}
          </button>
          {population && (
            <p className="basis">
              {t('populationWeighting')}: {population}
            </p>
          )}
        </>
      )}
    </section>
  );
}
