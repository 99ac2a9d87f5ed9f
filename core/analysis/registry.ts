/**
 * The analyses, registered once: the server mounts `POST /api/analysis/<route>` for each entry of
 * ANALYSIS_ROUTES (server/analyses.ts maps each id to its handler), and the client builds its
 * analysis panel from ANALYSES (client/src/analyses/registry.ts maps each id to its form, map
 * layers, tables and summary). Only the definitions are imported here (request.ts of each slice),
 * so the registry stays small and isomorphic.
 *
 * Adding an analysis: core/analysis/<slice>/ (request.ts, the function, index.ts), one line here,
 * one line in server/analyses.ts, client/src/analyses/<slice>/ and one line in its registry.
 */
import { FIRE_COVERAGE } from './fire-coverage/request.js';
import { ISOCHRONE } from './isochrone/request.js';
import { PLANNER_SITING, SITING_EVALUATE } from './planner-siting/request.js';
import { RELIEF_REACH } from './relief-reach/request.js';
import { SHELTER_CAPACITY } from './shelter-capacity/request.js';

/** The analyses in the order the panel offers them. */
export const ANALYSES = [FIRE_COVERAGE, SHELTER_CAPACITY, RELIEF_REACH, PLANNER_SITING, ISOCHRONE] as const;

/** Every analysis route, the panel's analyses and their sub-routes (the siting what-if). */
export const ANALYSIS_ROUTES = [...ANALYSES, SITING_EVALUATE] as const;

export type AnalysisId = (typeof ANALYSES)[number]['id'];
export type AnalysisRouteId = (typeof ANALYSIS_ROUTES)[number]['id'];
/** The definition of one analysis, its schema's type kept. */
export type DefinitionOf<K extends AnalysisRouteId> = Extract<(typeof ANALYSIS_ROUTES)[number], { id: K }>;

export const analysisById = <K extends AnalysisRouteId>(id: K): DefinitionOf<K> => ANALYSIS_ROUTES.find((a) => a.id === id) as DefinitionOf<K>;
