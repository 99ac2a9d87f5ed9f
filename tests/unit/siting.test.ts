import { readdirSync, readFileSync } from 'node:fs';
import loadHighs from 'highs';
import { describe, expect, it } from 'vitest';
import { solveSiting, sitingLp, SitingError, type SitingOptions, type SitingProblem } from '../../core/analysis/siting/index.js';
import { servedWithin } from '../../core/analysis/siting/served.js';
import { parseCsv, problemFromTables } from '../../core/analysis/siting/table.js';
import { syntheticCounty } from '../fixtures/siting/synthetic.js';

const FIXTURES = new URL('../fixtures/siting/', import.meta.url);

interface Fixture {
  description: string;
  problem: Omit<SitingProblem, 'cost'> & { cost: (number | null)[][] };
  cases: {
    note: string;
    options: SitingOptions;
    expected: {
      chosen: string[];
      objective: number | null;
      covered: number;
      status: string;
      assignment?: string[];
      uncoverable?: string[];
    };
  }[];
}

/** JSON has no Infinity: null in a cost row means unreachable. */
function toProblem(f: Fixture['problem']): SitingProblem {
  return { ...f, cost: Float64Array.from(f.cost.flat(), (c) => (c === null ? Infinity : c)) };
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8')) as Fixture] as const);

describe('siting fixtures (hand-worked optima)', () => {
  it('finds the fixture files', () => {
    expect(fixtures.map(([f]) => f).sort()).toEqual(['capacities.json', 'disconnected.json', 'existing.json', 'line-6x4.json', 'unreachable.json']);
  });

  for (const [file, fx] of fixtures) {
    describe(file, () => {
      const problem = toProblem(fx.problem);
      for (const c of fx.cases) {
        for (const method of ['exact', 'auto'] as const) {
          it(`${c.options.model} ${JSON.stringify(c.options)} ${method}: ${c.note}`, async () => {
            const r = await solveSiting(problem, { ...c.options, method });
            const e = c.expected;
            expect(r.status).toBe(e.status);
            expect(r.chosen).toEqual(e.chosen);
            if (e.objective === null) expect(r.objective).toBeNull();
            else expect(r.objective).toBeCloseTo(e.objective, 9);
            expect(r.covered).toBeCloseTo(e.covered, 9);
            if (e.status === 'optimal') expect(r.gap).toBe(0);
            if (e.assignment) expect(r.assignment).toEqual(e.assignment);
            expect(r.uncoverable).toEqual(e.uncoverable ?? []);
            for (const id of fx.problem.existing ?? []) expect(r.chosen).not.toContain(id);
          });
        }
        if (!fx.problem.capacities && c.expected.status !== 'infeasible') {
          it(`${c.options.model} ${JSON.stringify(c.options)} heuristic: never claims more than it proves`, async () => {
            const r = await solveSiting(problem, { ...c.options, method: 'heuristic' });
            const best = c.expected.objective!;
            const maximize = c.options.model === 'mclp';
            if (maximize) expect(r.objective!).toBeLessThanOrEqual(best + 1e-9);
            else expect(r.objective!).toBeGreaterThanOrEqual(best - 1e-9);
            if (r.status === 'optimal') expect(r.objective).toBeCloseTo(best, 9);
            if (r.bound !== null) {
              if (maximize) expect(r.bound).toBeGreaterThanOrEqual(best - 1e-9);
              else expect(r.bound).toBeLessThanOrEqual(best + 1e-9);
            }
          });
        }
      }
    });
  }
});

describe('capacitated service of fixed open sites (capacities.json)', () => {
  const fx = fixtures.find(([f]) => f === 'capacities.json')![1];
  const full = toProblem(fx.problem);
  const only = (ids: string[]): SitingProblem => {
    const cols = ids.map((id) => full.candidateIds.indexOf(id));
    const n = full.demandIds.length;
    const m = full.candidateIds.length;
    return {
      demandIds: full.demandIds,
      weights: full.weights,
      candidateIds: ids,
      cost: Float64Array.from({ length: n * ids.length }, (_, k) => full.cost[Math.floor(k / ids.length) * m + cols[k % ids.length]]),
      capacities: cols.map((j) => full.capacities![j]),
    };
  };

  it('B and C open at threshold 1: B takes d2 + d3 (75 of its 90), C 100 of d4 + d5 (110): 175', async () => {
    const s = await servedWithin(only(['B', 'C']), 1);
    expect(s.covered).toBeCloseTo(175, 6);
    expect(Array.from(s.load)).toEqual([expect.closeTo(75, 6), expect.closeTo(100, 6)]);
    expect(Array.from(s.fraction.subarray(0, 4))).toEqual([0, 0, expect.closeTo(1, 6), expect.closeTo(1, 6)]);
    // Who of d4 (50) and d5 (60) gets C's 100 places is not unique; together they get 100.
    expect(50 * s.fraction[4] + 60 * s.fraction[5]).toBeCloseTo(100, 6);
  });

  it('equals the capacitated MCLP optimum for the optimum\'s sites, and nothing open serves nobody', async () => {
    const solved = await solveSiting(full, { model: 'mclp', p: 1, threshold: 1 });
    expect((await servedWithin(only(solved.chosen), 1)).covered).toBeCloseTo(solved.objective!, 6);
    expect((await servedWithin(only([]), 1)).covered).toBe(0);
  });
});

describe('siting on random instances: heuristic vs exact', () => {
  // Seeded 64 cells × 14 candidates in a 10 km square; straight-line cost.
  const randomProblem = (seed: number): SitingProblem => syntheticCounty({ seed: `siting:${seed}`, side: 10000, grid: 8, candidates: 14, towns: 3 });

  for (const seed of [1, 2, 3]) {
    for (const options of [
      { model: 'mclp', p: 3, threshold: 2500 },
      { model: 'pmedian', p: 3 },
      { model: 'pcenter', p: 3 },
      { model: 'lscp', threshold: 4000 },
    ] as SitingOptions[]) {
      it(`seed ${seed} ${options.model}: the heuristic is optimal only when it meets the exact optimum`, async () => {
        const problem = randomProblem(seed);
        const exact = await solveSiting(problem, { ...options, method: 'exact' });
        const heur = await solveSiting(problem, { ...options, method: 'heuristic' });
        expect(exact.status).toBe('optimal');
        const sign = options.model === 'mclp' ? 1 : -1;
        expect(sign * heur.objective!).toBeLessThanOrEqual(sign * exact.objective! + 1e-9);
        if (heur.status === 'optimal') expect(heur.objective).toBeCloseTo(exact.objective!, 9);
        else expect(heur.gap === null || heur.gap > 0).toBe(true);
        if (heur.bound !== null) expect(sign * heur.bound).toBeGreaterThanOrEqual(sign * exact.objective! - 1e-9 * Math.abs(exact.objective!));
      });
    }
  }

  it('labels a solve stopped by the time limit or a gap tolerance feasible, with a positive gap', async () => {
    const problem = randomProblem(4);
    for (const r of [
      await solveSiting(problem, { model: 'pmedian', p: 5, method: 'exact', timeLimitSeconds: 0.001 }),
      await solveSiting(problem, { model: 'mclp', p: 2, threshold: 2000, method: 'exact', gapTolerance: 0.9 }),
    ]) {
      expect(['optimal', 'feasible']).toContain(r.status);
      if (r.status === 'optimal') expect(r.gap).toBe(0);
      else expect(r.gap === null || r.gap > 0).toBe(true);
    }
  });
});

describe('siting input checks', () => {
  const fx = fixtures.find(([f]) => f === 'line-6x4.json')![1];
  const problem = toProblem(fx.problem);
  const fails = (p: SitingProblem, o: SitingOptions, message: RegExp) => expect(solveSiting(p, o)).rejects.toThrow(message);

  it('rejects malformed problems, saying what and where', async () => {
    await fails({ ...problem, cost: problem.cost.slice(1) }, { model: 'pmedian', p: 1 }, /cost has 23 entries; expected 6 demand points × 4 candidates = 24/);
    const nan = Float64Array.from(problem.cost);
    nan[5] = NaN;
    await fails({ ...problem, cost: nan }, { model: 'pmedian', p: 1 }, /cost from demand 'd1' to candidate 'B' is NaN/);
    await fails({ ...problem, weights: [10, -1, 35, 40, 50, 60] }, { model: 'pmedian', p: 1 }, /weight of demand 'd1' is -1/);
    await fails({ ...problem, candidateIds: ['A', 'B', 'A', 'D'] }, { model: 'pmedian', p: 1 }, /candidate id 'A' appears twice/);
    await fails({ ...problem, existing: ['Z'] }, { model: 'pmedian', p: 1 }, /existing facility 'Z' is not one of the 4 candidates/);
    await fails({ ...problem, capacities: [1, 2] }, { model: 'pmedian', p: 1 }, /capacities has 2 entries but there are 4 candidates/);
  });

  it('rejects bad options with the fix in the message', async () => {
    await fails(problem, { model: 'nope' as 'mclp', p: 1 }, /unknown model 'nope'; use one of mclp, lscp, pmedian, pcenter/);
    await fails(problem, { model: 'mclp', threshold: 1 }, /model mclp needs p/);
    await fails(problem, { model: 'pmedian', p: 5 }, /p = 5 but there are only 4 candidate sites/);
    await fails(problem, { model: 'pmedian', p: 1.5 }, /p must be a whole number/);
    await fails(problem, { model: 'mclp', p: 1 }, /model mclp needs a threshold/);
    await fails(problem, { model: 'lscp', threshold: 1, target: 1.5 }, /target is a share of the total weight in \(0, 1\]/);
    await fails(problem, { model: 'mclp', p: 1, threshold: 1, target: 0.5 }, /target applies to lscp only/);
    await fails({ ...problem, capacities: [1, 1, 1, 1] }, { model: 'pcenter', p: 1 }, /capacities are not supported by pcenter/);
    await fails({ ...problem, capacities: [1, 1, 1, 1] }, { model: 'pmedian', p: 1, method: 'heuristic' }, /heuristic does not handle capacities/);
    await expect(solveSiting(problem, { model: 'pmedian', p: 1, method: 'fast' as 'auto' })).rejects.toBeInstanceOf(SitingError);
  });

  it('restricts p-median to the k nearest sites and proves the answer only against its bound', async () => {
    const r = await solveSiting(problem, { model: 'pmedian', p: 2, nearest: 1, method: 'exact' });
    expect(r.objective).toBeCloseTo(152.5, 9);
    expect(r.notes).toContainEqual({ code: 'siting_pmedian_nearest', params: { k: 1 } });
    expect(r.status === 'optimal' ? r.gap === 0 : r.gap! > 0).toBe(true);
  });
});

describe('LP export', () => {
  const fx = fixtures.find(([f]) => f === 'existing.json')![1];
  const problem = toProblem(fx.problem);

  it('writes CPLEX LP text that HiGHS solves to the same optimum (plus the constant existing sites cover)', async () => {
    const highs = await loadHighs();
    for (const options of [
      { model: 'mclp', p: 2, threshold: 1 },
      { model: 'pmedian', p: 1 },
      { model: 'lscp', threshold: 1 },
    ] as SitingOptions[]) {
      const lp = sitingLp(problem, options);
      expect(lp).toMatch(/^\\ /);
      const offset = Number(/objective \+ ([\d.]+)/.exec(lp)?.[1] ?? 0);
      const solved = highs.solve(lp, { mip_rel_gap: 0, output_flag: false });
      expect(solved.Status).toBe('Optimal');
      const r = await solveSiting(problem, options);
      expect(solved.ObjectiveValue + offset).toBeCloseTo(r.objective!, 9);
    }
    expect(() => sitingLp(problem, { model: 'pcenter', p: 1 })).toThrow(/no single LP/);
  });
});

describe('OD tables', () => {
  it('reads RFC 4180 CSV: quotes, embedded commas and newlines, CRLF, BOM', () => {
    const t = parseCsv('\ufeffa,"b ""x""",c\r\n1,"2,5","x\ny"\r\n\r\n3,4,5', 'test.csv');
    expect(t.columns).toEqual(['a', 'b "x"', 'c']);
    expect(t.rows).toEqual([
      ['1', '2,5', 'x\ny'],
      ['3', '4', '5'],
    ]);
    expect(t.lines).toEqual([2, 5]);
    expect(() => parseCsv('a,b\n1,2,3\n', 'bad.csv')).toThrow(/bad.csv line 2 has 3 fields but the header has 2/);
    expect(() => parseCsv('a,b\n"1,2\n', 'bad.csv')).toThrow(/quoted field opened on line 2 is never closed/);
    expect(() => parseCsv('', 'empty.csv')).toThrow(/empty.csv is empty/);
  });

  const od = parseCsv('cost,site,cell,pop\n1,A,c1,10\n2,B,c1,10\n3,A,c2,5\ninf,B,c2,5\n', 'od.csv');

  it('builds a problem from a long table, with weights from the same table or a demand table', () => {
    const p = problemFromTables({ od, columns: { demand: 'cell', candidate: 'site', cost: 'cost', weight: 'pop' } });
    expect(p.demandIds).toEqual(['c1', 'c2']);
    expect(p.candidateIds).toEqual(['A', 'B']);
    expect(Array.from(p.weights)).toEqual([10, 5]);
    expect(Array.from(p.cost)).toEqual([1, 2, 3, Infinity]);
    const demand = parseCsv('id,persons\nc1,7\nc2,8\nc3,9\n', 'cells.csv');
    const q = problemFromTables({ od, columns: { demand: 'cell', candidate: 'site', cost: 'cost' }, demand: { table: demand, id: 'id', weight: 'persons' } });
    expect(q.demandIds).toEqual(['c1', 'c2', 'c3']);
    expect(Array.from(q.cost)).toEqual([1, 2, 3, Infinity, Infinity, Infinity]);
    const unweighted = problemFromTables({ od, columns: { demand: 'cell', candidate: 'site', cost: 'cost' } });
    expect(Array.from(unweighted.weights)).toEqual([1, 1]);
  });

  it('names the table, line and column of bad input', () => {
    expect(() => problemFromTables({ od, columns: { demand: 'cell', candidate: 'site', cost: 'minutes' } })).toThrow(
      /od.csv has no column 'minutes' \(cost\); its columns are: cost, site, cell, pop/,
    );
    const bad = parseCsv('cost,site,cell\n1,A,c1\nabc,B,c1\n', 'bad.csv');
    expect(() => problemFromTables({ od: bad, columns: { demand: 'cell', candidate: 'site', cost: 'cost' } })).toThrow(
      /bad.csv line 3: cost 'abc' in column 'cost' is not a number ≥ 0/,
    );
    const clash = parseCsv('cost,site,cell,pop\n1,A,c1,10\n2,B,c1,11\n', 'clash.csv');
    expect(() => problemFromTables({ od: clash, columns: { demand: 'cell', candidate: 'site', cost: 'cost', weight: 'pop' } })).toThrow(
      /clash.csv line 3: demand 'c1' has weight 11 here but 10 on line 2/,
    );
    const dup = parseCsv('cost,site,cell\n1,A,c1\n2,A,c1\n', 'dup.csv');
    expect(() => problemFromTables({ od: dup, columns: { demand: 'cell', candidate: 'site', cost: 'cost' } })).toThrow(/appears twice/);
    const demand = parseCsv('id,persons\nc1,7\n', 'cells.csv');
    expect(() =>
      problemFromTables({ od, columns: { demand: 'cell', candidate: 'site', cost: 'cost' }, demand: { table: demand, id: 'id', weight: 'persons' } }),
    ).toThrow(/od.csv line 4: demand 'c2' is not in cells.csv/);
  });
});
