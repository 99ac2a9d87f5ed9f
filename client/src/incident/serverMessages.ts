/**
 * The incident endpoints' codes in the reader's language: the warnings an answer carries
 * (core/incident/schema.ts MESSAGE_CODES) and the error codes of a refused request, with their params.
 */
import type { Message } from '../../../core/incident/schema';
import { ApiAnswerError, ApiError } from '../api/http';
import type { I18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { GROUP_STYLE } from './groups';

const CODES: Record<string, MessageKey> = {
  closure_no_road: 'incMsgClosureNoRoad',
  no_layer: 'incMsgNoLayer',
  facility_no_road: 'incMsgFacilityNoRoad',
  population_demo: 'incMsgPopulationDemo',
  no_population: 'incMsgNoPopulation',
  outside_area: 'incErrOutsideArea',
  no_road_nearby: 'incErrNoRoad',
  origin_disconnected: 'incErrDisconnected',
  version_conflict: 'incErrVersion',
  not_found: 'incErrNotFound',
};

/** Parameter names the API may report, as the form labels them. */
const PARAMETERS: Record<string, MessageKey> = {
  origin: 'incPlace',
  hazard: 'incHazard',
  affectedPersons: 'incAffected',
  area: 'incArea',
  closures: 'incClosures',
  occurredAt: 'incTime',
  title: 'incTitle',
};

function params(p: Record<string, string | number>, i18n: I18n): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === 'number') out[k] = k === 'index' ? v + 1 : i18n.n(v, k.endsWith('M') ? 0 : 5);
    else if ((k === 'group' || k === 'layer') && v in GROUP_STYLE) out[k] = i18n.t(GROUP_STYLE[v as keyof typeof GROUP_STYLE].name);
    else out[k] = v;
  }
  return out;
}

export function messageText(m: Message, i18n: I18n): string {
  const key = CODES[m.code];
  return key ? i18n.t(key, params(m.params, i18n)) : `${m.code} ${JSON.stringify(m.params)}`;
}

/** A failed request in words: the code's message with its params, else the parameter at fault, else the server's text. */
export function errorText(err: Error, i18n: I18n): string {
  const { t } = i18n;
  if (!(err instanceof ApiError)) return t('incErrOther', { message: err.message });
  if (err.status === 0) return t('errNetwork');
  if (err.status === 401 || err.status === 403) return t('errUnauthorized');
  const body = err instanceof ApiAnswerError ? (err.body as { error?: { params?: Record<string, string | number> } }) : undefined;
  if (CODES[err.code]) return messageText({ code: err.code, params: body?.error?.params ?? {} }, i18n);
  if (err.parameter) return t('errParameter', { parameter: PARAMETERS[err.parameter] ? t(PARAMETERS[err.parameter]) : err.parameter }) + ` (${err.message})`;
  return t('incErrOther', { message: err.message });
}
