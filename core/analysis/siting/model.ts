/**
 * What each siting model (MCLP, LSCP, p-median) gives the solver driver in index.ts: how to price
 * a set of sites, a heuristic, and a MILP formulation. The driver decides exact vs heuristic and
 * labels every answer by the bound it has, never by the method that found it.
 */
import type { Note } from '../../note.js';
import type { Budget } from './lagrange.js';
import type { LinearModel, Sense } from './milp.js';

export type SitingModelName = 'mclp' | 'lscp' | 'pmedian' | 'pcenter';
export const SITING_MODELS: readonly SitingModelName[] = ['mclp', 'lscp', 'pmedian', 'pcenter'];

export interface SitingModel {
  sense: Sense;
  /** Demand points no candidate can serve: reported, and left out of the model. */
  uncoverable: number[];
  notes: Note[];
  /** Why no choice of sites can meet the model's demand, found before solving. */
  infeasible?: Note;
  /** Model objective of a set of new sites (existing facilities always count). */
  objective(sites: number[]): number;
  /** Absent when the model has capacities: the heuristics do not handle them. */
  heuristic?(): number[];
  formulate(): Formulation;
  /** A Lagrangian bound for instances too large for the LP relaxation (see lagrange.ts). */
  lagrangian?(sites: number[], incumbent: number, budget: Budget): number;
  /** Nonzeros of the formulation, known before building it. */
  size: number;
  /** The objective takes integer values only, so bounds can be rounded. */
  integral: boolean;
}

export interface Formulation {
  model: LinearModel;
  /** Constant added to the MILP objective to give the model objective. */
  offset: number;
  /** Variable values for a warm start from a set of new sites. */
  start?(sites: number[]): Float64Array;
  sites(values: ArrayLike<number>): number[];
  /** Capacitated models: the objective, served weight and assignment the solution itself carries. */
  served?(values: ArrayLike<number>): { objective: number; covered: number; assignment: Int32Array };
}

/** New sites whose x variable is 1 in a MILP solution. */
export function openSites(x: Int32Array, newIdx: readonly number[], values: ArrayLike<number>): number[] {
  return newIdx.filter((j) => x[j] >= 0 && values[x[j]] > 0.5);
}

/** A model's answer before it is priced and reported (new sites as candidate indices). */
export interface Answer {
  sites: number[];
  status: 'optimal' | 'feasible' | 'infeasible';
  method: 'exact' | 'heuristic';
  objective: number | null;
  bound: number | null;
  uncoverable: number[];
  notes: Note[];
  /** Capacitated models: what the solution itself serves. */
  served?: { objective: number; covered: number; assignment: Int32Array };
}
