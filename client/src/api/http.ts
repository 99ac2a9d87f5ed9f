/** fetch for the API: sends the bearer token, turns `{error:{code,message}}` answers into ApiError. */
import { getToken } from './token';
import { ApiError } from '../../../core/api-error';

export { ApiError };

/** An error answer with the whole JSON body: a 409 carries the current feature, a 400 may list problems. */
export class ApiAnswerError extends ApiError {
  constructor(status: number, code: string, message: string, parameter: string | undefined, readonly body: unknown) {
    super(status, code, message, parameter, (body as { error?: { params?: ApiError['params'] } } | undefined)?.error?.params);
  }
}

/** fetch with the bearer token; a network failure becomes ApiError(0). */
async function send(path: string, init: RequestInit, token: string | null, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(path, { ...init, headers, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'network', `The server did not answer (${(err as Error).message}).`);
  }
}

/** The error an answer that is not ok stands for, from its `{error:{code,message,parameter}}` body. */
function answerError(path: string, status: number, body: unknown): ApiAnswerError {
  const e = (body as { error?: { code?: string; message?: string; parameter?: string } } | undefined)?.error;
  return new ApiAnswerError(status, e?.code ?? 'error', e?.message ?? `${path} answered ${status}.`, e?.parameter, body);
}

async function request<T>(path: string, init: RequestInit, token: string | null, signal?: AbortSignal): Promise<T> {
  const res = await send(path, { ...init, headers: { accept: 'application/json', ...(init.headers as Record<string, string>) } }, token, signal);
  const text = await res.text();
  // 204 No Content (a delete) has no body to parse.
  if (res.ok && text === '') return undefined as T;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad_response', `${path} answered ${res.status} with non-JSON content.`);
  }
  if (!res.ok) throw answerError(path, res.status, body);
  return body as T;
}

export const getJson = <T>(path: string, token: string | null = getToken(), signal?: AbortSignal): Promise<T> => request<T>(path, {}, token, signal);

/** POSTs a JSON body (the analysis endpoints). */
export const postJson = <T>(path: string, body: unknown, token: string | null = getToken(), signal?: AbortSignal): Promise<T> =>
  sendJson<T>('POST', path, body, token, signal);

/** Sends a JSON body (or none) with any method: the editing endpoints' POST, PATCH and DELETE. */
export const sendJson = <T>(method: string, path: string, body?: unknown, token: string | null = getToken(), signal?: AbortSignal): Promise<T> =>
  request<T>(
    path,
    body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    token,
    signal,
  );

/** A file the API sends as an attachment (an export): its bytes and the name the server gave it. */
export async function fetchFile(path: string, init: RequestInit = {}, token: string | null = getToken()): Promise<{ blob: Blob; name?: string }> {
  const res = await send(path, init, token);
  if (!res.ok) {
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the status says enough.
    }
    throw answerError(path, res.status, body);
  }
  return { blob: await res.blob(), name: attachmentName(res.headers.get('content-disposition')) };
}

/** The file name of a Content-Disposition header (RFC 6266: filename* in UTF-8 wins over filename). */
export function attachmentName(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // Badly encoded: fall back to the plain name.
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/.exec(header)?.[1].trim();
}

/** Query-string from a params object; empty values are left out. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
