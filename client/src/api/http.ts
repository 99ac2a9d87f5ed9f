/** fetch for the API: sends the bearer token, turns `{error:{code,message}}` answers into ApiError. */
import { getToken } from './token';
import { ApiError } from '../../../core/api-error';

export { ApiError };

async function request<T>(path: string, init: RequestInit, token: string | null, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(init.headers as Record<string, string>) };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'network', `The server did not answer (${(err as Error).message}).`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad_response', `${path} answered ${res.status} with non-JSON content.`);
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; parameter?: string } }).error;
    throw new ApiError(res.status, e?.code ?? 'error', e?.message ?? `${path} answered ${res.status}.`, e?.parameter);
  }
  return body as T;
}

export const getJson = <T>(path: string, token: string | null = getToken(), signal?: AbortSignal): Promise<T> => request<T>(path, {}, token, signal);

/** POSTs a JSON body (the analysis endpoints). */
export const postJson = <T>(path: string, body: unknown, token: string | null = getToken(), signal?: AbortSignal): Promise<T> =>
  request<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, token, signal);

/** Query-string from a params object; empty values are left out. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
