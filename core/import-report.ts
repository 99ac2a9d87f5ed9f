/**
 * What an import answers and how its progress reads (POST /api/layers/:id/import,
 * GET /api/imports/:importId): written by server/import/, read by the client's import wizard.
 */
import type { Feature, Geometry } from 'geojson';
import type { CrsName } from './geo/crs.js';
import type { Connectivity } from './network/graph.js';
import type { Note } from './note.js';

export const IMPORT_MODES = ['append', 'upsert', 'replace'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/**
 * A row problem, `row` as a person finds it (CSV line number, feature number from 1), and why, as
 * a Note (import_*, field_* codes; the client says it in the reader's language).
 */
export interface RowProblem {
  row: number;
  reason: Note;
}

export interface Rejection extends RowProblem {
  field: string;
}

export interface Duplicate extends RowProblem {
  /** The stored feature it duplicates, when it is one. */
  existing?: string;
}

export interface ImportReport {
  layer: string;
  file: string | null;
  format: string;
  encoding?: string;
  /** The CRS the coordinates were read in. */
  crs: CrsName;
  crsFrom: 'request' | 'file' | 'detected';
  /** The CRSs the numbers allow, best first (degrees: WGS84, GCJ-02 and BD-09 look alike). */
  crsCandidates: CrsName[];
  /** Why this CRS: the file's declaration (crs_declared {declared}) or what the numbers showed (crs_*). */
  crsReason?: Note;
  geometryFrom: string;
  /** Where the coordinates were read, for a reader (import_geometry_columns, import_geometry_wkt), when the reader says. */
  geometryNote?: Note;
  /** Coordinate warnings (core/geo/crs.ts) and nothing_to_import. */
  warnings: Note[];
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
  /** The first 1 000; `rejectedCount` is the whole number (likewise repaired, duplicates). */
  rejected: Rejection[];
  rejectedCount: number;
  repaired: RowProblem[];
  repairedCount: number;
  /** Flagged, not dropped: see the README (import) for what each mode does with them. */
  duplicates: Duplicate[];
  duplicateCount: number;
  /** mode=replace: features deleted per county code ('' = without one) — only the counties the file covers, or `county`. */
  deletedByCounty?: Record<string, number>;
  /** A road-network import: the connectivity rule and the pieces the network falls into. */
  network?: NetworkImportReport;
  /** The first features as they would be written (WGS84). */
  preview: { type: 'FeatureCollection'; features: Feature<Geometry, Record<string, unknown>>[] };
}

/** The road network an import leaves (core/network/components.ts summarize). */
export interface NetworkImportReport {
  connectivity: Connectivity;
  /** Chosen by `connectivity=`, detected (a replace), or the county's stored rule (append and upsert keep it). */
  connectivityFrom: 'request' | 'detected' | 'stored';
  /** The county codes whose roads were measured ('' = roads without one). */
  counties: string[];
  links: number;
  count: number;
  nodes: number;
  largestShare: number;
  islands: number;
  islandNodes: number;
}

export type ImportPhase = 'receiving' | 'reading' | 'checking' | 'writing' | 'done' | 'failed';

export interface ImportProgress {
  importId: string;
  phase: ImportPhase;
  bytesReceived: number;
  rowsRead: number;
  rowsWritten: number;
  error?: string;
  /** An import answered 202 (asynchronous): once done, the report the synchronous form answers… */
  report?: ImportReport;
  /** …or, once failed, the error the synchronous form answers: its HTTP status and the API's error body. */
  failure?: ImportFailure;
}

export interface ImportFailure {
  status: number;
  error: { code: string; message: string; parameter?: string; params?: Record<string, string | number> };
}

/** Header names an import takes a feature's id from (compared as server/import/read.ts headerKey does). */
export const ID_COLUMNS: readonly string[] = ['id', 'fid', '编号', '编码'];
