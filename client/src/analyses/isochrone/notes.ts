/** What an isochrone answer says in words (its Notes), shared by the analysis panel and a station's rescue circle. */
import type { IsochroneResult, OriginReport } from '../../../../core/analysis/isochrone/isochrone';
import type { I18n } from '../../i18n';
import { noteText } from '../../i18n/notes';

/** Why an origin fell back to a straight line, with the travel mode in words. */
export const originReason = (o: OriginReport, i18n: I18n): string =>
  o.reason ? noteText(o.reason, i18n, { mode: (m) => i18n.t(m === 'walk' ? 'modeWalk' : 'modeDrive') }) : '';

/** How the persons within were counted (the population surface's weighting), or undefined without one. */
export function populationBasis(result: IsochroneResult, i18n: I18n): string | undefined {
  const notes = result.notes ?? [];
  return notes.length ? notes.map((x) => noteText(x, i18n)).join(i18n.t('listSeparator')) : undefined;
}
