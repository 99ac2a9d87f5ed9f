/**
 * Preprocessing shared by the coverage models (MCLP, LSCP, and p-center's radius checks): only
 * demand–candidate pairs within the threshold matter, demand already covered by an existing
 * facility is settled, and demand points that the same set of candidates covers are one group
 * (their weights add up), which shrinks the models without changing any optimum.
 */
import { note, type Note } from '../../note.js';
import { LinearModel, type Sense } from './milp.js';
import type { Instance } from './problem.js';

export interface Coverage {
  threshold: number;
  /** Number of demand groups. */
  groups: number;
  groupWeight: Float64Array;
  /** Demand points per group (CSR: members[memberStart[g] .. memberStart[g+1]]). */
  memberStart: Int32Array;
  members: Int32Array;
  /** Candidates within the threshold of each group (CSR over instance candidate indices, ascending). */
  start: Int32Array;
  cand: Int32Array;
  /** Weight already within the threshold of an existing facility (left out of the groups). */
  baseWeight: number;
  /** Demand points with weight > 0 that no candidate, new or existing, reaches within the threshold. */
  uncoverable: number[];
  uncoverableWeight: number;
}

/**
 * `settleExisting`: drop demand an existing facility covers (right unless capacities limit what
 * an existing facility can take, in which case existing candidates stay in the lists).
 * Demand with weight 0 needs nothing and is left out.
 */
export function coverage(inst: Instance, threshold: number, settleExisting = true): Coverage {
  const { n, m, cost, weights, isExisting } = inst;
  const keyToGroup = new Map<string, number>();
  const groupCands: Int32Array[] = [];
  const groupWeights: number[] = [];
  const groupMembers: number[][] = [];
  const uncoverable: number[] = [];
  let baseWeight = 0;
  let uncoverableWeight = 0;
  const buf = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (w === 0) continue;
    const row = i * m;
    let k = 0;
    let byExisting = false;
    for (let j = 0; j < m; j++) {
      if (cost[row + j] <= threshold) {
        if (settleExisting && isExisting[j]) {
          byExisting = true;
          break;
        }
        buf[k++] = j;
      }
    }
    if (byExisting) {
      baseWeight += w;
      continue;
    }
    if (k === 0) {
      uncoverable.push(i);
      uncoverableWeight += w;
      continue;
    }
    const list = buf.slice(0, k);
    const key = list.join(',');
    let g = keyToGroup.get(key);
    if (g === undefined) {
      g = groupCands.length;
      keyToGroup.set(key, g);
      groupCands.push(list);
      groupWeights.push(0);
      groupMembers.push([]);
    }
    groupWeights[g] += w;
    groupMembers[g].push(i);
  }
  const groups = groupCands.length;
  const start = new Int32Array(groups + 1);
  const memberStart = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) {
    start[g + 1] = start[g] + groupCands[g].length;
    memberStart[g + 1] = memberStart[g] + groupMembers[g].length;
  }
  const cand = new Int32Array(start[groups]);
  const members = new Int32Array(memberStart[groups]);
  for (let g = 0; g < groups; g++) {
    cand.set(groupCands[g], start[g]);
    members.set(groupMembers[g], memberStart[g]);
  }
  return {
    threshold,
    groups,
    groupWeight: Float64Array.from(groupWeights),
    memberStart,
    members,
    start,
    cand,
    baseWeight,
    uncoverable,
    uncoverableWeight,
  };
}

/** Candidate → groups it covers (CSR), the inverse of the coverage lists. */
export function groupsBySite(inst: Instance, cov: Coverage): { start: Int32Array; groups: Int32Array } {
  const start = new Int32Array(inst.m + 1);
  for (let k = 0; k < cov.cand.length; k++) start[cov.cand[k] + 1]++;
  for (let j = 0; j < inst.m; j++) start[j + 1] += start[j];
  const fill = start.slice(0, inst.m);
  const groups = new Int32Array(cov.cand.length);
  for (let g = 0; g < cov.groups; g++) for (let k = cov.start[g]; k < cov.start[g + 1]; k++) groups[fill[cov.cand[k]]++] = g;
  return { start, groups };
}

export interface CoverageModel {
  model: LinearModel;
  /** Variable of each candidate (instance index), -1 if the model has none. */
  x: Int32Array;
  /** Served weight Σ coef·var (covered within the threshold, capacity permitting). */
  served: { vars: number[]; coefs: number[] };
  /** Capacitated models: served[k] is the share of group servedGroup[k] that candidate servedSite[k] takes. */
  servedGroup?: number[];
  servedSite?: number[];
}

/**
 * The variables and constraints MCLP and LSCP share: x_j = 1 opens candidate j; without
 * capacities y_g ≤ Σ x_j over the candidates covering group g (y_g = 1: covered); with capacities
 * z_gj ≤ x_j is the share of group g served by j, Σ_j z_gj ≤ 1 and Σ_g w_g z_gj ≤ C_j x_j (people
 * of one cell may be split among several facilities). `fullCover` requires every group covered
 * instead of counting what is.
 */
export function coverageModel(
  inst: Instance,
  cov: Coverage,
  spec: { sense: Sense; siteCost: number; servedGain: number; fullCover: boolean },
): CoverageModel {
  const model = new LinearModel(spec.sense);
  const x = new Int32Array(inst.m).fill(-1);
  for (const j of inst.newIdx) x[j] = model.addVar(`x${j}`, spec.siteCost, { binary: true });
  const served: CoverageModel['served'] = { vars: [], coefs: [] };
  const capacities = inst.capacities;
  if (!capacities) {
    for (let g = 0; g < cov.groups; g++) {
      const sites = Array.from(cov.cand.subarray(cov.start[g], cov.start[g + 1]), (j) => x[j]);
      if (spec.fullCover) {
        model.addRow(`c${g}`, sites, 1, '>=', 1);
        continue;
      }
      const y = model.addVar(`y${g}`, spec.servedGain * cov.groupWeight[g], { upper: 1 });
      model.addRow(`c${g}`, [y, ...sites], [1, ...sites.map(() => -1)], '<=', 0);
      served.vars.push(y);
      served.coefs.push(cov.groupWeight[g]);
    }
    return { model, x, served };
  }
  for (const j of inst.existingIdx) x[j] = model.addVar(`x${j}`, 0, { lower: 1, upper: 1, binary: true });
  const servedGroup: number[] = [];
  const servedSite: number[] = [];
  const load = new Map<number, { vars: number[]; coefs: number[] }>();
  for (let g = 0; g < cov.groups; g++) {
    const w = cov.groupWeight[g];
    const shares: number[] = [];
    for (let k = cov.start[g]; k < cov.start[g + 1]; k++) {
      const j = cov.cand[k];
      const z = model.addVar(`z${g}_${j}`, spec.servedGain * w, { upper: 1 });
      model.addRow(`l${g}_${j}`, [z, x[j]], [1, -1], '<=', 0);
      shares.push(z);
      served.vars.push(z);
      served.coefs.push(w);
      servedGroup.push(g);
      servedSite.push(j);
      if (Number.isFinite(capacities[j])) {
        const row = load.get(j) ?? { vars: [], coefs: [] };
        row.vars.push(z);
        row.coefs.push(w);
        load.set(j, row);
      }
    }
    model.addRow(`c${g}`, shares, 1, spec.fullCover ? '=' : '<=', 1);
  }
  for (const [j, row] of load) model.addRow(`k${j}`, [...row.vars, x[j]], [...row.coefs, -capacities[j]], '<=', 0);
  return { model, x, served, servedGroup, servedSite };
}

/** Warm start of an uncapacitated coverage model from a set of new sites. */
export function coverageStart(cov: Coverage, cm: CoverageModel, sites: number[]): Float64Array {
  const values = new Float64Array(cm.model.names.length);
  for (const j of sites) values[cm.x[j]] = 1;
  if (cm.served.vars.length === cov.groups) {
    for (let g = 0; g < cov.groups; g++) {
      for (let k = cov.start[g]; k < cov.start[g + 1]; k++) if (values[cm.x[cov.cand[k]]] === 1) values[cm.served.vars[g]] = 1;
    }
  }
  return values;
}

/** Served weight and each demand point's main facility in a capacitated coverage solution. */
export function coverageServed(inst: Instance, cov: Coverage, cm: CoverageModel, values: ArrayLike<number>): { covered: number; assignment: Int32Array } {
  let covered = 0;
  const share = new Float64Array(cov.groups);
  const main = new Int32Array(cov.groups).fill(-1);
  cm.served.vars.forEach((v, k) => {
    const z = values[v];
    covered += cm.served.coefs[k] * z;
    const g = cm.servedGroup![k];
    if (z > 1e-6 && z > share[g]) {
      share[g] = z;
      main[g] = cm.servedSite![k];
    }
  });
  const assignment = new Int32Array(inst.n).fill(-1);
  for (let g = 0; g < cov.groups; g++) for (let k = cov.memberStart[g]; k < cov.memberStart[g + 1]; k++) assignment[cov.members[k]] = main[g];
  return { covered, assignment };
}

export function coverageNotes(inst: Instance, cov: Coverage): Note[] {
  if (cov.uncoverable.length === 0) return [];
  const ids = cov.uncoverable.slice(0, 5).map((i) => `'${inst.problem.demandIds[i]}'`).join(', ');
  return [
    note('siting_uncoverable_within', { count: cov.uncoverable.length, weight: round(cov.uncoverableWeight), threshold: cov.threshold, ids: `${ids}${cov.uncoverable.length > 5 ? ', …' : ''}` }),
  ];
}

export const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * A share that can be reached, to 3 decimals, rounded DOWN: advice to ask for "at most" this share
 * must itself be feasible (0.84981 → 0.849; 0.85 would not be).
 */
export const floorShare = (x: number): number => Math.floor(x * 1000 + 1e-9) / 1000;

/** A share in percent, to 0.1 (the share is already rounded as it should be). */
export const percentOf = (share: number): number => Math.round(share * 1000) / 10;
