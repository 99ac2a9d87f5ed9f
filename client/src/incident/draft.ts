/**
 * The incident being worked on, as the form holds it (text fields stay text until used), and the
 * requests it makes: the assessment, and the stored incident's create or patch.
 */
import type { Feature } from 'geojson';
import {
  DEFAULT_AREA,
  ORIGIN_CRS,
  type AssessmentRequest,
  type ClosureGeometry,
  type Incident,
  type IncidentArea,
  type IncidentCreate,
  type IncidentHazard,
  type IncidentPatch,
} from '../../../core/incident/schema';

export type OriginCrs = (typeof ORIGIN_CRS)[number];
export type AreaKind = 'radiusM' | 'driveMinutes' | 'walkMinutes';
export type ClosureFeature = Feature<ClosureGeometry, Record<string, never>>;

export interface IncidentDraft {
  /** Set once stored. */
  id?: string;
  version?: number;
  status: 'open' | 'closed';
  createdBy?: string;
  title: string;
  hazard: IncidentHazard;
  /** In `crs` (a point clicked on the map is WGS84). */
  origin?: [number, number];
  crs: OriginCrs;
  /** What the origin is (a search result's or geohazard point's name), for the default title. */
  placeName?: string;
  /** Local time as typed, "2026-07-15 08:30" (a text field: the browser's date picker would follow its own locale, not the page's). */
  occurredAt: string;
  /** Typed persons; empty: estimated from the population within the area. */
  affectedPersons: string;
  areaKind: AreaKind;
  /** The area's size in its unit: metres for a radius, minutes otherwise. */
  areaValue: string;
  closures: ClosureFeature[];
  /** Changed since stored (or never stored). */
  dirty: boolean;
}

/** "YYYY-MM-DD HH:mm" of a date, in local time. */
export function localDateTime(d: Date): string {
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The typed local time as a date, or undefined unless it reads as "YYYY-MM-DD HH:mm". */
export function parseLocalTime(text: string): Date | undefined {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(d.getTime()) || d.getMonth() !== Number(m[2]) - 1 ? undefined : d;
}

export function newDraft(): IncidentDraft {
  const [areaKind, areaValue] = Object.entries(DEFAULT_AREA)[0] as [AreaKind, number];
  return {
    status: 'open',
    title: '',
    hazard: 'geohazard',
    crs: 'wgs84',
    occurredAt: localDateTime(new Date()),
    affectedPersons: '',
    areaKind,
    areaValue: String(areaValue),
    closures: [],
    dirty: true,
  };
}

/** A positive number typed, or undefined. */
const positive = (text: string): number | undefined => {
  const v = Number(text.trim().replace(/[,，\s]/g, ''));
  return text.trim() !== '' && Number.isFinite(v) && v > 0 ? v : undefined;
};

/** The typed head count: a whole number ≥ 0, undefined when empty; NaN when not a number. */
export function typedPersons(d: IncidentDraft): number | undefined {
  const text = d.affectedPersons.trim().replace(/[,，\s]/g, '');
  if (text === '') return undefined;
  const v = Number(text);
  return Number.isInteger(v) && v >= 0 ? v : NaN;
}

export function draftArea(d: IncidentDraft): IncidentArea | undefined {
  const v = positive(d.areaValue);
  if (v === undefined) return undefined;
  return { [d.areaKind]: v } as IncidentArea;
}

/** Why the draft cannot be assessed yet (or, `toSave`, stored), as a message key; undefined when it can. */
export function draftProblem(d: IncidentDraft, toSave = false): 'incNeedPlace' | 'incNeedArea' | 'incNeedPersons' | 'incNeedTime' | undefined {
  if (!d.origin) return 'incNeedPlace';
  if (!draftArea(d)) return 'incNeedArea';
  if (Number.isNaN(typedPersons(d))) return 'incNeedPersons';
  // The time is the record's, not the assessment's.
  if (toSave && !parseLocalTime(d.occurredAt)) return 'incNeedTime';
  return undefined;
}

export function assessmentRequest(d: IncidentDraft): AssessmentRequest | undefined {
  if (draftProblem(d) || !d.origin) return undefined;
  const persons = typedPersons(d);
  return {
    origin: d.origin,
    crs: d.crs,
    hazard: d.hazard,
    area: draftArea(d),
    ...(persons !== undefined ? { affectedPersons: persons } : {}),
    ...(d.closures.length ? { closures: { type: 'FeatureCollection', features: d.closures } } : {}),
  };
}

const isoTime = (local: string): string | undefined => parseLocalTime(local)?.toISOString();

export function createBody(d: IncidentDraft, title: string): IncidentCreate {
  const persons = typedPersons(d);
  return {
    title,
    hazard: d.hazard,
    origin: d.origin!,
    crs: d.crs,
    occurredAt: isoTime(d.occurredAt),
    area: draftArea(d),
    ...(persons !== undefined ? { affectedPersons: persons } : {}),
    ...(d.closures.length ? { closures: { type: 'FeatureCollection', features: d.closures } } : {}),
  };
}

/** The stored incident's changes; the place is fixed once stored (a new place is a new incident). */
export function patchBody(d: IncidentDraft, title: string): IncidentPatch {
  const persons = typedPersons(d);
  return {
    version: d.version!,
    title,
    hazard: d.hazard,
    occurredAt: isoTime(d.occurredAt),
    area: draftArea(d) ?? null,
    affectedPersons: persons === undefined || Number.isNaN(persons) ? null : persons,
    closures: d.closures.length ? { type: 'FeatureCollection', features: d.closures } : null,
  };
}

export function fromIncident(i: Incident): IncidentDraft {
  const area = i.area ?? DEFAULT_AREA;
  const [areaKind, areaValue] = Object.entries(area)[0] as [AreaKind, number];
  const closures = i.closures ? (Array.isArray(i.closures) ? i.closures : i.closures.features) : [];
  return {
    id: i.id,
    version: i.version,
    status: i.status,
    createdBy: i.createdBy,
    title: i.title,
    hazard: i.hazard,
    // Stored in WGS84 whatever was typed.
    origin: [i.lon, i.lat],
    crs: 'wgs84',
    occurredAt: localDateTime(new Date(i.occurredAt)),
    affectedPersons: i.affectedPersons === null ? '' : String(i.affectedPersons),
    areaKind,
    areaValue: String(areaValue),
    closures: closures.map((c) => ({ type: 'Feature', geometry: c.geometry, properties: {} })),
    dirty: false,
  };
}
