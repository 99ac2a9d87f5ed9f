/** The incident types in the reader's language. */
import type { IncidentHazard } from '../../../core/incident/schema';
import type { MessageKey } from '../i18n/messages';

export const HAZARD_NAME: Record<IncidentHazard, MessageKey> = {
  earthquake: 'incHazardEarthquake',
  flood: 'incHazardFlood',
  geohazard: 'incHazardGeohazard',
  fire: 'incHazardFire',
  hazmat: 'incHazardHazmat',
  other: 'incHazardOther',
};
