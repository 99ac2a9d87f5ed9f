/** How the incident view writes times, distances and tiers, in both languages. */
import { KCAL_PER_CASE, LITRES_PER_CASE, OWN_NORM } from '../../../core/incident/supply';
import type { I18n } from '../i18n';
import { formatDuration } from '../i18n/duration';
import { zh, type MessageKey } from '../i18n/messages';

/** An ETA: whole minutes below two hours ("23 分钟"), hours and minutes beyond ("2 小时 15 分钟"). */
export const eta = (minutes: number, i18n: I18n): string => formatDuration(Math.max(0, Math.round(minutes)), i18n);

/** A road distance: metres below 1 km, else kilometres to one decimal. */
export function distance(metres: number, { t, n }: I18n): string {
  return metres < 1000 ? t('incMetres', { m: n(Math.round(metres), 0) }) : t('incKm', { km: n(metres / 1000, 1) });
}

/** The tier an ETA falls in: "≤30 分钟", or beyond the last tier. */
export function tierLabel(tier: number | null, { t }: I18n): string {
  return tier === null ? t('incTierBeyond') : t('incTierWithin', { minutes: tier });
}

/**
 * A supply rate's source in the reader's language: the defaults' citations (core/incident/supply.ts)
 * are message keys by item; a rate the request overrode is the bureau's own norm.
 */
export function rateSource(r: { item: string; source: string }, { t }: Pick<I18n, 't'>): string {
  if (r.source === OWN_NORM) return t('incRateOwnNorm');
  const key = `incRateSource_${r.item}` as MessageKey;
  return key in zh ? t(key, { litres: LITRES_PER_CASE, kcal: KCAL_PER_CASE }) : r.source;
}
