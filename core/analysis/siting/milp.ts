/**
 * Mixed-integer linear models for the siting solvers, solved by HiGHS (npm `highs`, WebAssembly:
 * the same solver in Node and the browser). A model is kept as sparse rows: HiGHS takes those
 * arrays directly (reading the same model as CPLEX LP text costs more than solving it on the
 * small instances), and `toLp()` writes the CPLEX LP text a planner can open in any other solver
 * to check an answer.
 */
import loadHighs, { type Highs } from 'highs';

export type Sense = 'maximize' | 'minimize';

/** A linear model built row by row; variables are numbered in the order they are added. */
export class LinearModel {
  readonly names: string[] = [];
  readonly objective: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly binary: boolean[] = [];
  readonly rowNames: string[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  /** Rows in CSR form: row r holds entries rowStart[r] .. rowStart[r+1]-1. */
  readonly rowStart: number[] = [0];
  readonly index: number[] = [];
  readonly value: number[] = [];

  constructor(readonly sense: Sense) {}

  get rows(): number {
    return this.rowNames.length;
  }

  /** Names must start with a letter other than e/E (LP format reads those as exponents). */
  addVar(name: string, objective: number, bounds: { lower?: number; upper?: number; binary?: boolean } = {}): number {
    this.names.push(name);
    this.objective.push(objective);
    this.lower.push(bounds.lower ?? 0);
    this.upper.push(bounds.upper ?? (bounds.binary ? 1 : Infinity));
    this.binary.push(bounds.binary ?? false);
    return this.names.length - 1;
  }

  addRow(name: string, vars: ArrayLike<number>, coefs: ArrayLike<number> | number, op: '<=' | '>=' | '=', rhs: number): void {
    for (let k = 0; k < vars.length; k++) {
      const c = typeof coefs === 'number' ? coefs : coefs[k];
      if (c === 0) continue;
      this.index.push(vars[k]);
      this.value.push(c);
    }
    this.rowStart.push(this.index.length);
    this.rowNames.push(name);
    this.rowLower.push(op === '<=' ? -Infinity : rhs);
    this.rowUpper.push(op === '>=' ? Infinity : rhs);
  }

  /** The model in CPLEX LP format; `relax` drops integrality (the LP relaxation). */
  toLp(relax = false, comments: string[] = []): string {
    const lines = [...comments.map((c) => `\\ ${c.replace(/\n/g, ' ')}`), this.sense === 'maximize' ? 'Maximize' : 'Minimize'];
    // Every variable appears in the objective, zero or not, so readers number columns in our order.
    lines.push(` obj: ${wrap(this.names.map((name, k) => term(this.objective[k], name, k === 0)))}`, 'Subject To');
    for (let r = 0; r < this.rows; r++) {
      const terms: string[] = [];
      for (let k = this.rowStart[r]; k < this.rowStart[r + 1]; k++) terms.push(term(this.value[k], this.names[this.index[k]], k === this.rowStart[r]));
      if (terms.length === 0) terms.push(`0 ${this.names[0]}`);
      const lo = this.rowLower[r];
      const hi = this.rowUpper[r];
      // addRow makes one-sided rows and equalities only.
      const rhs = lo === hi ? `= ${num(lo)}` : lo === -Infinity ? `<= ${num(hi)}` : `>= ${num(lo)}`;
      lines.push(` ${this.rowNames[r]}: ${wrap(terms)} ${rhs}`);
    }
    lines.push('Bounds');
    const binaries: string[] = [];
    this.names.forEach((name, k) => {
      const lo = this.lower[k];
      const hi = this.upper[k];
      if (this.binary[k] && !relax) binaries.push(` ${name}`);
      if (this.binary[k] && !relax && lo === 0 && hi === 1) return;
      if (lo === hi) lines.push(` ${name} = ${num(lo)}`);
      else if (hi !== Infinity || lo !== 0) lines.push(` ${lo === -Infinity ? '-inf' : num(lo)} <= ${name} <= ${hi === Infinity ? '+inf' : num(hi)}`);
    });
    if (binaries.length) lines.push('Binaries', wrap(binaries));
    lines.push('End', '');
    return lines.join('\n');
  }
}

/** Shortest round-trip decimal, e.g. 2982.1268579890657, 1e-7. */
const num = (x: number): string => String(x);

function term(c: number, name: string, first: boolean): string {
  const sign = c < 0 ? '-' : first ? '' : '+';
  const a = Math.abs(c);
  return `${sign}${sign ? ' ' : ''}${a === 1 ? '' : `${num(a)} `}${name}`;
}

/** Some LP readers take lines of limited length. */
function wrap(terms: string[]): string {
  let out = '';
  for (let k = 0; k < terms.length; k++) out += (k && k % 10 === 0 ? '\n ' : k ? ' ' : '') + terms[k];
  return out;
}

export interface MilpOptions {
  timeLimitSeconds?: number;
  /** Stop once the proven relative gap is at most this (0: prove optimality). */
  gapTolerance?: number;
  relax?: boolean;
  /** A feasible start (value per variable), e.g. the heuristic's answer. */
  start?: ArrayLike<number>;
}

export interface MilpResult {
  /** optimal: bound meets the answer; feasible: a solution without that proof; unknown: no solution in time. */
  status: 'optimal' | 'feasible' | 'infeasible' | 'unknown';
  objective: number;
  /** Best proven bound on the optimum (for the LP relaxation: its optimum). */
  bound: number;
  gap: number;
  values: Float64Array;
  seconds: number;
}

let highs: Promise<Highs> | undefined;

/** Loads the WebAssembly solver once per process or page. */
export const solver = (): Promise<Highs> => (highs ??= loadHighs());

export async function solveMilp(model: LinearModel, options: MilpOptions = {}): Promise<MilpResult> {
  const h = await solver();
  const t0 = performance.now();
  const nCols = model.names.length;
  const isMip = !options.relax && model.binary.some(Boolean);
  const inf = (x: number): number => (x === Infinity ? h.infinity : x === -Infinity ? -h.infinity : x);
  const m = h.createModel({
    numCols: nCols,
    numRows: model.rows,
    sense: model.sense === 'maximize' ? h.constants.objectiveSense.maximize : h.constants.objectiveSense.minimize,
    colCost: Float64Array.from(model.objective),
    colLower: Float64Array.from(model.lower, inf),
    colUpper: Float64Array.from(model.upper, inf),
    rowLower: Float64Array.from(model.rowLower, inf),
    rowUpper: Float64Array.from(model.rowUpper, inf),
    matrix: {
      format: 'csr',
      numRows: model.rows,
      numCols: nCols,
      starts: Int32Array.from(model.rowStart),
      indices: Int32Array.from(model.index),
      values: Float64Array.from(model.value),
    },
    integrality: isMip ? Int32Array.from(model.binary, (b) => (b ? h.constants.variableType.integer : h.constants.variableType.continuous)) : undefined,
  });
  try {
    // The limit covers loading the model too (a second for a county-sized p-median).
    const stopAt = t0 + (options.timeLimitSeconds ?? Infinity) * 1000;
    m.options.set({
      output_flag: false,
      mip_rel_gap: options.gapTolerance ?? 0,
      time_limit: Math.max((stopAt - performance.now()) / 1000, 0.01),
    });
    if (options.start && isMip) m.setSolution({ colValue: Float64Array.from(options.start) });
    // HiGHS checks time_limit at its own checkpoints; these callbacks also stop simplex, IPM and
    // branch-and-bound progress at the deadline.
    const stop = (event: { interrupt(): void }): undefined => {
      if (performance.now() > stopAt) event.interrupt();
      return undefined;
    };
    const C = h.constants.callbackType;
    m.run({ [C.simplexInterrupt]: stop, [C.ipmInterrupt]: stop, [C.mipInterrupt]: stop });
    const code = m.getModelStatus();
    const S = h.constants.modelStatus;
    const seconds = (performance.now() - t0) / 1000;
    const none = { objective: NaN, bound: NaN, gap: NaN, values: new Float64Array(nCols), seconds };
    if (code === S.infeasible) return { status: 'infeasible', ...none };
    if (Number(m.info.get('primal_solution_status')) !== 2) return { status: 'unknown', ...none };
    const objective = m.getObjectiveValue();
    const bound = isMip ? Number(m.info.get('mip_dual_bound')) : objective;
    const gap = relativeGap(objective, bound);
    // Optimal only when the bound meets the answer; a solve stopped by gapTolerance is feasible.
    const proven = code === S.optimal && gap <= PROVEN_GAP;
    return { status: proven ? 'optimal' : 'feasible', objective, bound, gap, values: m.getSolution().colValue, seconds };
  } finally {
    m.dispose();
  }
}

/** Relative gaps at or below this are numerical noise of the solver's tolerances. */
export const PROVEN_GAP = 1e-6;

export function relativeGap(objective: number, bound: number): number {
  const diff = Math.abs(objective - bound);
  if (diff <= 1e-9 * Math.max(1, Math.abs(objective))) return 0;
  return diff / Math.max(Math.abs(objective), 1e-12);
}
