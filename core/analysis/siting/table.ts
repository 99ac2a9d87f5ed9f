/**
 * Long origin–destination tables, as routing tools export them (one CSV row per demand–candidate
 * pair, e.g. spopt's network-distance file), turned into a siting problem. Weights come from a
 * column of the same table or from a separate demand table; capacities from a candidate table.
 * Errors name the table, the row and the column, and list the columns that exist.
 */
import { problemFromPairs, SitingError, type CostPair, type SitingProblem } from './problem.js';

export interface Table {
  /** Name used in messages, e.g. the file name. */
  name: string;
  columns: string[];
  rows: string[][];
  /** Line of each row in the text (1-based, header = line 1), for messages. */
  lines: number[];
}

/** RFC 4180 CSV: comma-separated, double-quoted fields with "" escapes, LF or CRLF, optional BOM. */
export function parseCsv(text: string, name: string): Table {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i <= n) {
    let field: string;
    if (text[i] === '"') {
      field = '';
      let k = i + 1;
      for (;;) {
        const q = text.indexOf('"', k);
        if (q < 0) throw new SitingError(`${name}: a quoted field opened on line ${recordLine} is never closed`, 'table');
        field += text.slice(k, q);
        if (text[q + 1] === '"') {
          field += '"';
          k = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      for (let c = field.indexOf('\n'); c >= 0; c = field.indexOf('\n', c + 1)) line++;
      // Anything between the closing quote and the delimiter is kept, as lenient readers do.
      let k2 = i;
      while (k2 < n && text[k2] !== ',' && text[k2] !== '\n' && text[k2] !== '\r') k2++;
      field += text.slice(i, k2);
      i = k2;
    } else {
      let k = i;
      while (k < n && text[k] !== ',' && text[k] !== '\n' && text[k] !== '\r') k++;
      field = text.slice(i, k);
      i = k;
    }
    fields.push(field);
    const ch = text[i];
    if (ch === ',') {
      i++;
      continue;
    }
    // End of record: newline or end of text.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    if (ch === '\r' && text[i + 1] === '\n') i++;
    i++;
    recordLine = ++line;
  }
  if (records.length === 0) throw new SitingError(`${name} is empty: expected a header row and data rows`, 'table');
  const [header, ...data] = records;
  const columns = header.fields.map((c) => c.trim());
  for (const r of data) {
    if (r.fields.length !== columns.length) {
      throw new SitingError(`${name} line ${r.line} has ${r.fields.length} fields but the header has ${columns.length}`, 'table');
    }
  }
  return { name, columns, rows: data.map((r) => r.fields), lines: data.map((r) => r.line) };
}

/** Index of a column, or an error listing the columns the table has. */
export function column(table: Table, col: string, role: string): number {
  const k = table.columns.indexOf(col);
  if (k < 0) {
    throw new SitingError(`${table.name} has no column '${col}' (${role}); its columns are: ${table.columns.join(', ')}`, 'table');
  }
  return k;
}

function numberAt(table: Table, r: number, k: number, what: string, allowInfinity = false): number {
  const raw = table.rows[r][k].trim();
  const x = allowInfinity && /^(inf|infinity)$/i.test(raw) ? Infinity : raw === '' ? NaN : Number(raw);
  if (Number.isNaN(x) || (!allowInfinity && !Number.isFinite(x)) || x < 0) {
    throw new SitingError(
      `${table.name} line ${table.lines[r]}: ${what} '${table.rows[r][k]}' in column '${table.columns[k]}' is not a number ≥ 0`,
      'table',
    );
  }
  return x;
}

export interface OdColumns {
  demand: string;
  candidate: string;
  cost: string;
  /** Weight column in the OD table itself (one value per demand point, repeated on its rows). */
  weight?: string;
}

export interface TableInputs {
  od: Table;
  columns: OdColumns;
  /** Separate demand table: ids and weights. Demand points missing from the OD table reach no candidate. */
  demand?: { table: Table; id: string; weight: string };
  /** Candidate table with capacities (persons a shelter holds, a depot's supply). */
  candidates?: { table: Table; id: string; capacity: string };
  existing?: readonly string[];
}

/** Without any weight column every demand point weighs 1. */
export function problemFromTables(input: TableInputs): SitingProblem {
  const { od, columns } = input;
  const kd = column(od, columns.demand, 'demand id');
  const kc = column(od, columns.candidate, 'candidate id');
  const kx = column(od, columns.cost, 'cost');
  const kw = input.demand ? -1 : columns.weight !== undefined ? column(od, columns.weight, 'weight') : -1;
  const pairs: CostPair[] = [];
  const weights = new Map<string, number>();
  const weightLine = new Map<string, number>();
  if (input.demand) {
    const { table, id, weight } = input.demand;
    const ki = column(table, id, 'demand id');
    const kdw = column(table, weight, 'weight');
    table.rows.forEach((row, r) => {
      const w = numberAt(table, r, kdw, 'weight');
      if (weights.has(row[ki])) throw new SitingError(`${table.name} line ${table.lines[r]}: demand id '${row[ki]}' appears twice`, 'table');
      weights.set(row[ki], w);
    });
  }
  od.rows.forEach((row, r) => {
    const demand = row[kd];
    const cost = numberAt(od, r, kx, 'cost', true);
    pairs.push({ demand, candidate: row[kc], cost });
    if (input.demand) {
      if (!weights.has(demand)) {
        throw new SitingError(`${od.name} line ${od.lines[r]}: demand '${demand}' is not in ${input.demand.table.name} (column '${input.demand.id}')`, 'table');
      }
      return;
    }
    const w = kw >= 0 ? numberAt(od, r, kw, 'weight') : 1;
    const seen = weights.get(demand);
    if (seen !== undefined && seen !== w) {
      throw new SitingError(`${od.name} line ${od.lines[r]}: demand '${demand}' has weight ${w} here but ${seen} on line ${weightLine.get(demand)}`, 'table');
    }
    if (seen === undefined) {
      weights.set(demand, w);
      weightLine.set(demand, od.lines[r]);
    }
  });
  let capacities: Map<string, number> | undefined;
  if (input.candidates) {
    const { table, id, capacity } = input.candidates;
    const ki = column(table, id, 'candidate id');
    const kcap = column(table, capacity, 'capacity');
    capacities = new Map(table.rows.map((row, r) => [row[ki], numberAt(table, r, kcap, 'capacity', true)]));
  }
  const candidateIds = [...new Set(pairs.map((p) => p.candidate))];
  for (const id of capacities?.keys() ?? []) if (!candidateIds.includes(id)) candidateIds.push(id);
  for (const id of input.existing ?? []) {
    if (!candidateIds.includes(id)) throw new SitingError(`existing facility '${id}' does not appear in ${od.name} (column '${columns.candidate}')`, 'table');
  }
  return problemFromPairs(pairs, weights, { candidateIds, existing: input.existing, capacities });
}
