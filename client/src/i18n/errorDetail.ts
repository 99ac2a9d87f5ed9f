/**
 * The detail of a refused request in the reader's language: the answer's `params.detail` names a
 * Note (server/errors.ts detailParams) whose params travel beside it; a `reason` param is itself a
 * Note code with the same params (why the CRS could not be told, the first rejected row). Without a
 * Note, the server's technical message is the detail, marked as such (`technical`).
 */
import type { ApiError } from '../../../core/api-error';
import type { I18n } from '.';
import { noteText } from './notes';

export function errorDetail(err: Error, i18n: I18n): { text: string; technical: boolean } {
  const params = (err as Partial<ApiError>).params;
  const code = params?.detail;
  if (typeof code !== 'string') return { text: err.message, technical: true };
  const rest = { ...params };
  delete rest.detail;
  const say = { reason: (reason: string | number) => noteText({ code: String(reason), params: rest }, i18n) };
  return { text: noteText({ code, params: rest }, i18n, say), technical: false };
}
