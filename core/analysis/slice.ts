/**
 * What every analysis slice (core/analysis/<slice>/) shares: its definition (the one place its
 * route, access, label and request schema are written; core/analysis/registry.ts lists them), the
 * parsing of a request by that schema (the server and the client refuse the same bodies with the
 * same message), and the inputs a county analysis is run on, as the store hands them over.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { z } from 'zod';
import { ApiError } from '../api-error.js';
import type { Label } from '../catalogue/types.js';
import type { Graph } from '../network/graph.js';
import type { PopulationGrid, PopulationUnit } from '../population/grid.js';

export interface AnalysisDefinition<Id extends string = string, S extends z.ZodType = z.ZodType> {
  /** The key the panel, the URL and saved runs know the analysis by. */
  id: Id;
  /** Its folders: core/analysis/<slice>/, client/src/analyses/<slice>/, tests/fixtures/<slice>/. */
  slice: string;
  /** `POST /api/analysis/<route>`. */
  route: string;
  /** public: anyone (reads public layers only); token: commanders and admins (reads internal layers). */
  access: 'public' | 'token';
  label: Label;
  /** The request body. */
  schema: S;
  /** Told with every refusal: a body that works. */
  example: string;
}

/** A definition, its id and schema types kept. */
export const defineAnalysis = <Id extends string, S extends z.ZodType>(d: AnalysisDefinition<Id, S>): AnalysisDefinition<Id, S> => d;

export const countyCode = z.string().regex(/^\d{6}$/, 'a 6-digit county code such as "500105"');
export const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/**
 * The body checked by the analysis' schema; the first problem is a 400 `bad_parameter` naming the
 * parameter (the top-level key), with the example body.
 */
export function parseRequest<S extends z.ZodType>(def: Pick<AnalysisDefinition<string, S>, 'schema' | 'example'>, body: unknown): z.infer<S> {
  const hint = `Send JSON like ${def.example}.`;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'bad_parameter', `The request body must be a JSON object with Content-Type: application/json. ${hint}`, 'body');
  }
  const r = def.schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const parameter = String(issue.path[0] ?? 'body');
  const where = issue.path.length ? `"${issue.path.join('.')}"` : 'the body';
  throw new ApiError(400, 'bad_parameter', `${where}: ${issue.message}. ${hint}`, parameter);
}

/** A point feature of a catalogue layer: its id, position and properties as stored. */
export interface SiteRecord {
  id: string;
  lon: number;
  lat: number;
  p: Record<string, unknown>;
}

export interface CountyTown extends PopulationUnit {
  name: string;
  geometry: Polygon | MultiPolygon;
}

/** What a county analysis runs on: the road graph, the county's towns and population grid, and the point layers it reads. */
export interface CountyInput {
  graph: Graph;
  towns: CountyTown[];
  grid: PopulationGrid;
  /** Point features of the county by layer id (the layers the slice says it reads). */
  sites: Record<string, SiteRecord[]>;
  /** Area features of the county by layer id, for the area layers the slice reads (hazard zones). */
  areas?: Record<string, AreaRecord[]>;
}

/** An area feature of a catalogue layer: its id, polygon and properties as stored. */
export interface AreaRecord {
  id: string;
  geometry: Polygon | MultiPolygon;
  p: Record<string, unknown>;
}
