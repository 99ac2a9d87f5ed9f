/**
 * A duration as a reader says it: minutes below two hours ("23 分钟", "0.4 分钟" under ten), hours
 * and minutes from two hours on ("2 小时 15 分钟", "3 小时"). The one formatter of travel times,
 * ETAs and time targets, so that no answer reads "0.38 小时".
 */
import type { I18n } from '.';

export function formatDuration(minutes: number, { t, n }: Pick<I18n, 't' | 'n'>): string {
  if (!Number.isFinite(minutes)) return '—';
  if (minutes < 120) return t('durationMinutes', { minutes: n(minutes, minutes < 10 ? 1 : 0) });
  const whole = Math.round(minutes);
  const [h, m] = [Math.floor(whole / 60), whole % 60];
  return m === 0 ? t('durationHours', { hours: n(h, 0) }) : t('durationHoursMinutes', { hours: n(h, 0), minutes: m });
}

/** The same for a time in hours (a relief target, a delivery time). */
export const formatHours = (hours: number, i18n: Pick<I18n, 't' | 'n'>): string => formatDuration(hours * 60, i18n);
