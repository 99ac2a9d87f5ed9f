/**
 * Peer test suite: PySAL spopt's San Francisco data (16 candidate stores × 205 census tracts,
 * network distances, POP2000 weights), read from ../shared/peer-fixtures/spopt-sf/ (never copied
 * into this repository). Reproduces spopt's asserted results, then checks exact optimality against
 * brute force over all C(16, p) site sets for other p and distances.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { solveSiting, type SitingOptions, type SitingProblem, type SitingResult } from '../../core/analysis/siting/index.js';
import { parseCsv, problemFromTables } from '../../core/analysis/siting/table.js';

const DIR = fileURLToPath(new URL('../../../shared/peer-fixtures/spopt-sf/', import.meta.url));
const OD = `${DIR}SF_network_distance_candidateStore_16_censusTract_205_new.csv`;
const DEMAND = `${DIR}SF_demand_205_centroid_uniform_weight.csv`;
const present = existsSync(OD) && existsSync(DEMAND);
if (!present) console.warn(`spopt peer fixtures not found in ${DIR}: skipping the spopt San Francisco peer suite`);

const read = (file: string) => parseCsv(readFileSync(file, 'utf8'), file.slice(DIR.length));

/** Every k-subset of 0..n-1, in lexicographic order. */
function* subsets(n: number, k: number, from = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let j = from; j <= n - (k - acc.length); j++) {
    acc.push(j);
    yield* subsets(n, k, j + 1, acc);
    acc.pop();
  }
}

describe.skipIf(!present)('spopt San Francisco peer suite', () => {
  let problem: SitingProblem;
  let n: number;
  let m: number;
  let w: number[];
  let cost: Float64Array;
  let total: number;
  /** Cost from each tract to its nearest site of a set. */
  const nearest = (sites: number[]): Float64Array => {
    const d = new Float64Array(n).fill(Infinity);
    for (let i = 0; i < n; i++) for (const j of sites) d[i] = Math.min(d[i], cost[i * m + j]);
    return d;
  };
  const ids = (sites: number[]) => sites.map((j) => problem.candidateIds[j]);
  const byOrder = (a: string[]) => [...a].sort((x, y) => problem.candidateIds.indexOf(x) - problem.candidateIds.indexOf(y));
  const solve = (options: SitingOptions) => solveSiting(problem, options);

  beforeAll(() => {
    // Weights: POP2000 from the tract table, matched by tract NAME (not by row order).
    problem = problemFromTables({
      od: read(OD),
      columns: { demand: 'DestinationName', candidate: 'name', cost: 'distance' },
      demand: { table: read(DEMAND), id: 'NAME', weight: 'POP2000' },
    });
    n = problem.demandIds.length;
    m = problem.candidateIds.length;
    w = Array.from(problem.weights);
    cost = problem.cost as Float64Array;
    total = w.reduce((a, b) => a + b, 0);
  });

  it('reads 205 tracts × 16 stores, and the OD table’s demand column is the same POP2000', () => {
    expect([n, m]).toEqual([205, 16]);
    expect(Array.from(cost).every(Number.isFinite)).toBe(true);
    const same = problemFromTables({ od: read(OD), columns: { demand: 'DestinationName', candidate: 'name', cost: 'distance', weight: 'demand' } });
    const weightOf = new Map(same.demandIds.map((id, i) => [id, same.weights[i]]));
    expect(problem.demandIds.map((id) => weightOf.get(id))).toEqual(w);
  });

  describe("spopt's asserted results (p = 4, 5000 m, weights POP2000)", () => {
    it('MCLP leaves 21 tracts uncovered (89.756…% covered)', async () => {
      const r = await solve({ model: 'mclp', p: 4, threshold: 5000, method: 'exact' });
      expect(r.status).toBe('optimal');
      const d = nearest(r.chosen.map((id) => problem.candidateIds.indexOf(id)));
      const uncovered = Array.from(d).filter((x) => x > 5000).length;
      expect(uncovered).toBe(21);
      // biome-ignore lint/correctness/noPrecisionLoss: the percentage as spopt prints it
      expect(((n - uncovered) / n) * 100).toBeCloseTo(89.75609756097561, 9);
    });

    it('p-median mean weighted distance is 2982.1268… m', async () => {
      const r = await solve({ model: 'pmedian', p: 4, method: 'exact' });
      expect(r.status).toBe('optimal');
      expect(r.objective! / r.totalWeight).toBeCloseTo(2982.1268579890657, 6);
    });

    it('LSCP needs 8 facilities to cover every tract within 5000 m', async () => {
      const r = await solve({ model: 'lscp', threshold: 5000, method: 'exact' });
      expect(r.status).toBe('optimal');
      expect(r.objective).toBe(8);
      expect(r.chosen).toHaveLength(8);
      expect(Math.max(...nearest(r.chosen.map((id) => problem.candidateIds.indexOf(id))))).toBeLessThanOrEqual(5000);
    });
  });

  /** Brute force over all site sets of size p (existing sites always open). */
  function brute(p: number, value: (d: Float64Array) => number, better: (a: number, b: number) => boolean, existing: number[] = []) {
    let best = NaN;
    let sets: number[][] = [];
    const free = [...Array(m).keys()].filter((j) => !existing.includes(j));
    for (const s of subsets(free.length, p)) {
      const sites = s.map((k) => free[k]);
      const v = value(nearest([...existing, ...sites]));
      if (Number.isNaN(best) || better(v, best)) {
        best = v;
        sets = [sites];
      } else if (Math.abs(v - best) <= 1e-9 * Math.max(1, Math.abs(best))) sets.push(sites);
    }
    return { best, sets: sets.map((s) => ids(s)) };
  }
  const coveredWithin = (t: number) => (d: Float64Array) => d.reduce((a, x, i) => a + (x <= t ? w[i] : 0), 0);
  const weightedCost = (d: Float64Array) => d.reduce((a, x, i) => a + w[i] * x, 0);
  const worst = (d: Float64Array) => Math.max(...d);
  const gt = (a: number, b: number) => a > b + 1e-9 * Math.max(1, Math.abs(b));
  const lt = (a: number, b: number) => gt(b, a);

  /** The exact answer must be optimal, equal the brute-force optimum and be one of its optimal sets;
   *  the heuristic may be worse, but never claims optimality or a bound it does not have. */
  function checkAgainst(exact: SitingResult, heur: SitingResult, bf: { best: number; sets: string[][] }, maximize: boolean) {
    expect(exact.status).toBe('optimal');
    expect(exact.gap).toBe(0);
    expect(exact.objective).toBeCloseTo(bf.best, 6);
    expect(bf.sets).toContainEqual(byOrder(exact.chosen));
    const sign = maximize ? 1 : -1;
    expect(sign * heur.objective!).toBeLessThanOrEqual(sign * bf.best + 1e-9 * Math.abs(bf.best));
    if (heur.status === 'optimal') expect(heur.objective).toBeCloseTo(bf.best, 6);
    else expect(heur.status).toBe('feasible');
    if (heur.bound !== null) expect(sign * heur.bound).toBeGreaterThanOrEqual(sign * bf.best - 1e-9 * Math.abs(bf.best));
  }

  const P = [1, 2, 3, 4, 5, 6];

  for (const t of [1500, 3000, 5000, 7500]) {
    it(`MCLP at ${t} m is the brute-force optimum for p = 1..6`, async () => {
      for (const p of P) {
        const bf = brute(p, coveredWithin(t), gt);
        const exact = await solve({ model: 'mclp', p, threshold: t, method: 'exact' });
        const heur = await solve({ model: 'mclp', p, threshold: t, method: 'heuristic' });
        checkAgainst(exact, heur, bf, true);
        expect(exact.covered).toBeCloseTo(bf.best, 6);
      }
    });
  }

  it('p-median is the brute-force optimum for p = 1..6', async () => {
    for (const p of P) {
      const bf = brute(p, weightedCost, lt);
      checkAgainst(await solve({ model: 'pmedian', p, method: 'exact' }), await solve({ model: 'pmedian', p, method: 'heuristic' }), bf, false);
    }
  });

  it('p-center is the brute-force optimum for p = 1..6', async () => {
    for (const p of P) {
      const bf = brute(p, worst, lt);
      checkAgainst(await solve({ model: 'pcenter', p, method: 'exact' }), await solve({ model: 'pcenter', p, method: 'heuristic' }), bf, false);
    }
  });

  it('LSCP needs the brute-force minimum of sites, for everyone and for target shares', async () => {
    for (const t of [4000, 4500, 5000, 7500]) {
      for (const target of [undefined, 0.9, 0.99]) {
        const need = target === undefined ? total : target * total;
        let k = 0;
        let sets: string[][] = [];
        for (; k <= m; k++) {
          sets = [];
          for (const s of subsets(m, k)) if (coveredWithin(t)(nearest(s)) >= need - 1e-9) sets.push(ids(s));
          if (sets.length) break;
        }
        const exact = await solve({ model: 'lscp', threshold: t, target, method: 'exact' });
        const heur = await solve({ model: 'lscp', threshold: t, target, method: 'heuristic' });
        if (sets.length === 0) {
          // Even all 16 stores leave some tract beyond t.
          expect([exact.status, heur.status]).toEqual(['infeasible', 'infeasible']);
          expect(exact.uncoverable.length).toBeGreaterThan(0);
          continue;
        }
        checkAgainst(exact, heur, { best: k, sets }, false);
        expect(exact.covered).toBeGreaterThanOrEqual(need - 1e-6);
        expect(heur.covered).toBeGreaterThanOrEqual(need - 1e-6);
      }
    }
  });

  it('reports tracts no store reaches within 1000 m and declares covering everyone infeasible', async () => {
    const unreachable = problem.demandIds.filter((_, i) => nearest([...Array(m).keys()])[i] > 1000);
    expect(unreachable.length).toBeGreaterThan(0);
    const r = await solve({ model: 'lscp', threshold: 1000 });
    expect(r.status).toBe('infeasible');
    expect(r.objective).toBeNull();
    expect([...r.uncoverable].sort()).toEqual([...unreachable].sort());
  });

  it('with existing stores (Store_1, Store_7) open, the new sites are the brute-force optimum', async () => {
    const existing = ['Store_1', 'Store_7'].map((id) => problem.candidateIds.indexOf(id));
    const withExisting = { ...problem, existing: ['Store_1', 'Store_7'] };
    for (const p of [1, 2, 3]) {
      const mc = brute(p, coveredWithin(3000), gt, existing);
      const rm = await solveSiting(withExisting, { model: 'mclp', p, threshold: 3000, method: 'exact' });
      expect(rm.objective).toBeCloseTo(mc.best, 6);
      expect(mc.sets).toContainEqual(byOrder(rm.chosen));
      const pm = brute(p, weightedCost, lt, existing);
      const rp = await solveSiting(withExisting, { model: 'pmedian', p, method: 'exact' });
      expect(rp.objective).toBeCloseTo(pm.best, 6);
      expect(pm.sets).toContainEqual(byOrder(rp.chosen));
      expect(rp.chosen).not.toContain('Store_1');
    }
  });

  it('auto mode agrees with the exact optimum on every asserted case', async () => {
    const cases: [SitingOptions, number][] = [
      [{ model: 'mclp', p: 4, threshold: 5000 }, brute(4, coveredWithin(5000), gt).best],
      [{ model: 'pmedian', p: 4 }, brute(4, weightedCost, lt).best],
      [{ model: 'pcenter', p: 4 }, brute(4, worst, lt).best],
      [{ model: 'lscp', threshold: 5000 }, 8],
    ];
    for (const [options, best] of cases) {
      const r = await solve(options);
      expect(r.status).toBe('optimal');
      expect(r.objective).toBeCloseTo(best, 6);
    }
  });
});
