/**
 * The words of a siting answer that the panel, the report and the tests share: the question with
 * the number of sites on the map, LSCP's headline (the number of sites, first), the towns whose
 * coverage changed.
 */
import type { I18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { SITING_GOALS, type SitingGoal, type SitingMode, type SitingRun } from './goals';

export const GOAL_LABEL: Record<SitingGoal, MessageKey> = {
  'fire-mclp': 'goalFireMclp',
  'shelter-mclp': 'goalShelterMclp',
  'shelter-lscp': 'goalShelterLscp',
  'fire-lscp': 'goalFireLscp',
  'depot-pmedian': 'goalDepotPmedian',
  'fire-pcenter': 'goalFirePcenter',
};
export const MODE_LABEL: Record<SitingMode, MessageKey> = { drive: 'modeDrive', walk: 'modeWalk', 'straight-line': 'modeStraight' };

/** LSCP's answer is a number of sites: said first. */
export const lscpHeadline = (run: SitingRun, { t, n }: I18n): string =>
  t('lscpSitesNeeded', { count: n(run.data.chosen.length, 0), percent: n((run.body.coverageTarget ?? 1) * 100, 1) });

/**
 * The question in plain words, with the number of new sites on the map (a what-if may have more or
 * fewer than the optimisation's p) or the target share, the service time and the travel mode.
 */
export function question(run: SitingRun, t: I18n['t'], n: I18n['n']): string {
  const b = run.body;
  const goal = SITING_GOALS.find((g) => g.model === b.model && g.layer === b.facilityLayer);
  const what = goal ? t(GOAL_LABEL[goal.id]) : `${b.model} · ${b.facilityLayer}`;
  const sites = t('reportSites', { count: n(run.data.chosen.length, 0) });
  const size = b.model === 'lscp' ? `${t('lscpTarget', { percent: n((b.coverageTarget ?? 1) * 100, 1) })}, ${sites}` : sites;
  return t('reportQuestion', { what, size, minutes: serviceMinutes(run, t, n), mode: t(MODE_LABEL[b.mode]) });
}

/** The service time in words: urban and rural minutes under fire coverage's rule, else the one threshold. */
export function serviceMinutes(run: SitingRun, t: I18n['t'], n: I18n['n']): string {
  const rule = run.data.parameters?.urbanRural;
  return rule ? t('sitingMinutesSplit', { urban: n(rule.urbanDriveMinutes), rural: n(rule.ruralDriveMinutes) }) : n(run.body.threshold ?? run.data.parameters.threshold);
}

/** The towns whose coverage changed, most gained first (the report lists no town with nothing gained). */
export const gainingTowns = (run: SitingRun): SitingRun['data']['towns'] =>
  run.data.towns
    .filter((r) => r.coveredAfter !== r.coveredBefore)
    .sort((a, b) => b.coveredAfter - b.coveredBefore - (a.coveredAfter - a.coveredBefore) || b.population - a.population);

