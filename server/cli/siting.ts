/**
 * Siting from the command line, on an origin–destination cost table from any routing tool:
 *
 *   npm run siting -- --model mclp --p 4 --threshold 5000 --matrix table.csv \
 *     --demand-col DestinationName --candidate-col name --cost-col distance --weight-col demand
 *
 * prints one JSON object: chosen sites, objective, covered weight, status (optimal / feasible /
 * infeasible), gap and seconds, and the solver's notes in a language (`--lang zh`, the default, or
 * `en`; the client's texts, client/src/i18n/topics/placement.ts) with their codes and parameters
 * (`noteCodes`). The solver is the one the API uses (core/analysis/siting).
 * Bad arguments or input: a message on stderr and exit code 2. `main` is exported so that the tests
 * run it in-process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { SITING_MODELS, SitingError, sitingLp, solveSiting, type SitingOptions } from '../../core/analysis/siting/index.js';
import type { Note } from '../../core/note.js';
import { en as EN, zh as ZH } from '../../client/src/i18n/topics/placement.js';
import { parseCsv, problemFromTables, type Table } from '../../core/analysis/siting/table.js';
import { runIfMain, type CliIo } from './io.js';

const USAGE = `usage: npm run siting -- --model ${SITING_MODELS.join('|')} --matrix FILE.csv \\
         --demand-col COL --candidate-col COL --cost-col COL [options]

  --matrix FILE          long cost table: one row per demand–candidate pair (pairs left out are unreachable)
  --demand-col COL       column of the demand point id
  --candidate-col COL    column of the candidate site id
  --cost-col COL         column of the travel cost (metres, seconds, …; "inf" = unreachable)
  --weight-col COL       weight column (persons, …): in --demand-file if given, else in --matrix;
                         without it every demand point weighs 1
  --demand-file FILE     demand table with --demand-id-col and --weight-col
  --demand-id-col COL    id column of --demand-file
  --p N                  new sites to open (mclp, pmedian, pcenter)
  --threshold X          service cost limit (mclp, lscp; pmedian/pcenter: only for "covered")
  --target SHARE         lscp: share of the total weight to cover, in (0, 1] (default: everyone)
  --existing A,B         candidates already open: they count but are not among the p new sites
  --candidate-file FILE  candidate table with --candidate-id-col and --capacity-col (capacities)
  --method M             exact | heuristic | auto (default auto)
  --time-limit S         seconds (default 60); when reached the answer is "feasible" with its gap
  --gap G                stop once the proven relative gap is at most G (default 0)
  --nearest K            pmedian: keep the K nearest new sites per demand point
  --lp FILE              also write the MILP as CPLEX LP text (not pcenter)
  --lang zh|en           language of the notes (default zh)`;

const LANGS = { zh: ZH as Record<string, string>, en: EN as Record<string, string> };
type Lang = keyof typeof LANGS;

/** A note in the language, as the client says it (numbers up to 3 decimals); an unknown code as ⟦code⟧. */
export function noteText(n: Note, lang: Lang): string {
  const text = LANGS[lang][`note.${n.code}`];
  if (text === undefined) return `⟦${n.code}⟧`;
  const format = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 3 });
  return text.replace(/\{(\w+)\}/g, (m, k: string) => {
    const v = n.params?.[k];
    return v === undefined ? m : typeof v === 'number' ? format.format(v) : v;
  });
}

class UsageError extends Error {}

const OPTIONS = {
  model: { type: 'string' },
  p: { type: 'string' },
  threshold: { type: 'string' },
  target: { type: 'string' },
  matrix: { type: 'string' },
  'demand-col': { type: 'string' },
  'candidate-col': { type: 'string' },
  'cost-col': { type: 'string' },
  'weight-col': { type: 'string' },
  'demand-file': { type: 'string' },
  'demand-id-col': { type: 'string' },
  existing: { type: 'string' },
  'candidate-file': { type: 'string' },
  'candidate-id-col': { type: 'string' },
  'capacity-col': { type: 'string' },
  method: { type: 'string' },
  lang: { type: 'string' },
  'time-limit': { type: 'string' },
  gap: { type: 'string' },
  nearest: { type: 'string' },
  lp: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function number(values: Record<string, unknown>, name: string, integer = false): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (String(raw).trim() === '' || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
    throw new UsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'}, got '${raw}'`);
  }
  return x;
}

function required(values: Record<string, unknown>, name: string, why: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name} (${why})`);
  return v;
}

function readTable(file: string, flag: string): Table {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseCsv(text, basename(file));
}

async function solve(argv: string[], io: CliIo): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return;
  }
  const lang = (values.lang ?? 'zh') as Lang;
  if (!(lang in LANGS)) throw new UsageError(`unknown --lang '${String(values.lang)}'; use zh or en`);
  const model = required(values, 'model', SITING_MODELS.join(', ')) as SitingOptions['model'];
  if (!SITING_MODELS.includes(model)) throw new UsageError(`unknown --model '${model}'; use one of ${SITING_MODELS.join(', ')}`);
  if (model !== 'lscp' && values.p === undefined) throw new UsageError(`missing --p: model ${model} needs the number of new sites to open`);
  const options: SitingOptions = {
    model,
    p: number(values, 'p', true),
    threshold: number(values, 'threshold'),
    target: number(values, 'target'),
    method: values.method as SitingOptions['method'],
    timeLimitSeconds: number(values, 'time-limit'),
    gapTolerance: number(values, 'gap'),
    nearest: number(values, 'nearest', true),
  };
  const matrix = readTable(required(values, 'matrix', 'the cost table CSV'), 'matrix');
  const demandFile = values['demand-file'] as string | undefined;
  const candidateFile = values['candidate-file'] as string | undefined;
  const problem = problemFromTables({
    od: matrix,
    columns: {
      demand: required(values, 'demand-col', `demand id column of ${matrix.name}; its columns are: ${matrix.columns.join(', ')}`),
      candidate: required(values, 'candidate-col', `candidate id column of ${matrix.name}; its columns are: ${matrix.columns.join(', ')}`),
      cost: required(values, 'cost-col', `cost column of ${matrix.name}; its columns are: ${matrix.columns.join(', ')}`),
      weight: values['weight-col'] as string | undefined,
    },
    demand: demandFile
      ? {
          table: readTable(demandFile, 'demand-file'),
          id: required(values, 'demand-id-col', 'id column of --demand-file'),
          weight: required(values, 'weight-col', 'weight column of --demand-file'),
        }
      : undefined,
    candidates: candidateFile
      ? {
          table: readTable(candidateFile, 'candidate-file'),
          id: required(values, 'candidate-id-col', 'id column of --candidate-file'),
          capacity: required(values, 'capacity-col', 'capacity column of --candidate-file'),
        }
      : undefined,
    existing: typeof values.existing === 'string' ? values.existing.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
  });
  if (typeof values.lp === 'string') writeFileSync(values.lp, sitingLp(problem, options));
  const r = await solveSiting(problem, options);
  const out = {
    chosen: r.chosen,
    objective: r.objective,
    covered: r.covered,
    status: r.status,
    gap: r.gap,
    seconds: Number(r.seconds.toFixed(3)),
    model: r.model,
    method: r.method,
    bound: r.bound,
    totalWeight: r.totalWeight,
    uncoverable: r.uncoverable,
    notes: r.notes.map((x) => noteText(x, lang)),
    noteCodes: r.notes,
  };
  io.stdout(`${JSON.stringify(out)}\n`);
}

/** The command: 0 on success, 2 on bad arguments or input, 1 on an unexpected error. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    await solve(argv, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof SitingError) {
      io.stderr(`siting: ${err.message}\n${err instanceof UsageError ? `\n${USAGE}\n` : ''}`);
      return 2;
    }
    io.stderr(`siting: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

runIfMain(import.meta.url, main);
