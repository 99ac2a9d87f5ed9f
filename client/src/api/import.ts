/**
 * The import API (contract C7): POST /api/layers/:id/import with the file as multipart/form-data
 * part `file` — sent by XMLHttpRequest, as fetch reports no upload progress — and
 * GET /api/imports/:importId for the server's progress while a real import runs. A large file is
 * answered 202 (an import job): postImport then polls the job and resolves with its report, so
 * callers see one promise either way.
 */
import { ApiError, getJson, queryString } from './http';
import type { CrsName } from '../../../core/geo/crs';
import type { Connectivity } from '../../../core/network/graph';
import type { ImportMode, ImportPhase, ImportProgress, ImportReport } from '../../../core/import-report';

export type { ImportMode, ImportPhase, ImportReport };
export type ImportStatus = ImportProgress;

/** `auto` lets the file (.prj, GPKG, KML) or the numbers decide; else wgs84, cgcs2000, gcj02, bd09 or EPSG:n. */
export type CrsChoice = string;

export interface ImportParams {
  crs: CrsChoice;
  mode: ImportMode;
  dryRun: boolean;
  /** Upsert key: `id` or a field of the layer. */
  key?: string;
  importId?: string;
  /** Road network only: how its lines join (absent: detected, or the county's rule kept). */
  connectivity?: Connectivity;
}

/** A CRS the server considers possible for the file, best first. */
export type CrsCandidate = CrsName;

/** An id for GET /api/imports/:importId. crypto.randomUUID needs a secure context, which a LAN http address is not. */
export function newImportId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `imp-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A refused import; when crs=auto could not settle the CRS, the ones the server thinks possible. */
export class ImportError extends ApiError {
  constructor(status: number, code: string, message: string, parameter: string | undefined, readonly candidates: CrsCandidate[] = [], params?: ApiError['params']) {
    super(status, code, message, parameter, params);
  }
}

function answerError(status: number, text: string): ImportError {
  let body:
    | { error?: { code?: string; message?: string; parameter?: string; params?: ApiError['params']; candidates?: CrsCandidate[]; crsCandidates?: CrsCandidate[] }; candidates?: CrsCandidate[]; crsCandidates?: CrsCandidate[] }
    | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const e = body?.error;
  const candidates = e?.candidates ?? e?.crsCandidates ?? body?.candidates ?? body?.crsCandidates;
  return new ImportError(status, e?.code ?? 'error', e?.message ?? `The import answered ${status}.`, e?.parameter, candidates, e?.params);
}

/** Uploads the file and resolves with the report; `onUpload` hears the bytes sent so far. */
export function postImport(
  layerId: string,
  file: File,
  params: ImportParams,
  token: string | null,
  onUpload?: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = queryString({ crs: params.crs, mode: params.mode, dryRun: String(params.dryRun), key: params.mode === 'upsert' ? params.key : undefined, importId: params.importId, connectivity: params.connectivity });
    xhr.open('POST', `/api/layers/${encodeURIComponent(layerId)}/import${query}`);
    xhr.setRequestHeader('accept', 'application/json');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    if (onUpload) xhr.upload.onprogress = (e) => onUpload(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(answerError(xhr.status, xhr.responseText));
      try {
        const answer = JSON.parse(xhr.responseText);
        resolve(xhr.status === 202 ? followJob(answer.importId as string, token, signal) : (answer as ImportReport));
      } catch {
        reject(new ApiError(xhr.status, 'bad_response', `The import answered ${xhr.status} with non-JSON content.`));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The server did not answer (the connection failed or was closed).'));
    xhr.onabort = () => reject(new DOMException('The import request was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export const importStatus = (importId: string, signal?: AbortSignal, token?: string | null): Promise<ImportStatus> =>
  getJson<ImportStatus>(`/api/imports/${encodeURIComponent(importId)}`, token, signal);

const JOB_POLL_MS = 1000;

/** An import answered 202: its report once done, or the error the synchronous form would have answered. */
async function followJob(importId: string, token: string | null, signal?: AbortSignal): Promise<ImportReport> {
  for (;;) {
    const s = await importStatus(importId, signal, token);
    if (s.phase === 'done' && s.report) return s.report;
    if (s.phase === 'failed') {
      const f = s.failure ?? { status: 500, error: { code: 'error', message: s.error ?? 'The import failed.' } };
      throw answerError(f.status, JSON.stringify(f));
    }
    await new Promise((r) => setTimeout(r, JOB_POLL_MS));
    signal?.throwIfAborted();
  }
}
