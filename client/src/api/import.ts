/**
 * The import API (contract C7): POST /api/layers/:id/import with the file as multipart/form-data
 * part `file` — sent by XMLHttpRequest, as fetch reports no upload progress — and
 * GET /api/imports/:importId for the server's progress while a real import runs.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { ApiError, getJson, queryString } from './http';
import type { Props } from './features';

export type ImportMode = 'append' | 'upsert' | 'replace';

/** `auto` lets the file (.prj, GPKG, KML) or the numbers decide; else wgs84, cgcs2000, gcj02, bd09 or EPSG:n. */
export type CrsChoice = string;

export interface ImportParams {
  crs: CrsChoice;
  mode: ImportMode;
  dryRun: boolean;
  /** Upsert key: `id` or a field of the layer. */
  key?: string;
  importId?: string;
}

export interface RowProblem {
  row: number;
  reason: string;
}

export interface Rejection extends RowProblem {
  field: string;
}

/** A CRS the server considers possible for the file, best first. */
export type CrsCandidate = string | { crs: string; reason?: string; score?: number };

/** The import report (server/import/run.ts), the same for a dry run and a real one. */
export interface ImportReport {
  layer: string;
  file: string | null;
  format: string;
  encoding: string;
  /** The CRS the coordinates were read in (wgs84, gcj02, EPSG:4545 …). */
  crs: string;
  crsFrom?: 'request' | 'file' | 'detected';
  crsCandidates?: CrsCandidate[];
  /** Why this CRS: the file's declaration or what the numbers showed. */
  crsReason?: string;
  geometryFrom: string;
  warnings: { code: string; message: string }[];
  /** Source column → field name. */
  columns: Record<string, string>;
  unmappedColumns: string[];
  mode: ImportMode;
  key?: string;
  dryRun: boolean;
  rowsRead: number;
  importable: number;
  inserted: number;
  updated: number;
  deleted: number;
  /** May be capped (at 1000); rejectedCount is the whole number. */
  rejected: Rejection[];
  rejectedCount?: number;
  repaired?: RowProblem[];
  repairedCount?: number;
  /** Flagged, not necessarily dropped (a namesake nearby is imported too). */
  duplicates?: (RowProblem & { existing?: string })[];
  duplicateCount?: number;
  /** The first features as they would be written (WGS84). */
  preview: FeatureCollection<Geometry, Props>;
}

export type ImportPhase = 'receiving' | 'reading' | 'checking' | 'writing' | 'done' | 'failed';

export interface ImportStatus {
  importId: string;
  phase: ImportPhase;
  bytesReceived: number;
  rowsRead: number;
  rowsWritten: number;
  error?: string;
}

export const rejectedCount = (r: ImportReport): number => r.rejectedCount ?? r.rejected.length;
export const repairedCount = (r: ImportReport): number => r.repairedCount ?? r.repaired?.length ?? 0;
export const duplicateCount = (r: ImportReport): number => r.duplicateCount ?? r.duplicates?.length ?? 0;

/** An id for GET /api/imports/:importId. crypto.randomUUID needs a secure context, which a LAN http address is not. */
export function newImportId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `imp-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A refused import; when crs=auto could not settle the CRS, the ones the server thinks possible. */
export class ImportError extends ApiError {
  constructor(status: number, code: string, message: string, parameter: string | undefined, readonly candidates: CrsCandidate[] = []) {
    super(status, code, message, parameter);
  }
}

function answerError(status: number, text: string): ImportError {
  let body: { error?: { code?: string; message?: string; parameter?: string; candidates?: CrsCandidate[]; crsCandidates?: CrsCandidate[] }; candidates?: CrsCandidate[]; crsCandidates?: CrsCandidate[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const e = body?.error;
  const candidates = e?.candidates ?? e?.crsCandidates ?? body?.candidates ?? body?.crsCandidates;
  return new ImportError(status, e?.code ?? 'error', e?.message ?? `The import answered ${status}.`, e?.parameter, candidates);
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
    const query = queryString({ crs: params.crs, mode: params.mode, dryRun: String(params.dryRun), key: params.mode === 'upsert' ? params.key : undefined, importId: params.importId });
    xhr.open('POST', `/api/layers/${encodeURIComponent(layerId)}/import${query}`);
    xhr.setRequestHeader('accept', 'application/json');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    if (onUpload) xhr.upload.onprogress = (e) => onUpload(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(answerError(xhr.status, xhr.responseText));
      try {
        resolve(JSON.parse(xhr.responseText) as ImportReport);
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

export const importStatus = (importId: string, signal?: AbortSignal): Promise<ImportStatus> =>
  getJson<ImportStatus>(`/api/imports/${encodeURIComponent(importId)}`, undefined, signal);
