/**
 * A result table as the analyses describe theirs (client/src/analyses/<slice>/): columns carry raw
 * values, so one description serves the sortable table on screen (formatted for the language) and
 * the CSV export (plain numbers for a spreadsheet).
 */
import type { I18n } from '../i18n';
import { formatDuration } from '../i18n/duration';

export type CellValue = number | string | boolean | null;

export interface Column<R> {
  key: string;
  label: string;
  unit?: string;
  value(row: R): CellValue;
  /** Decimals shown and exported (numbers). */
  digits?: number;
  /** The totals row's value; absent: the cell stays empty. */
  total?(rows: readonly R[]): CellValue;
  /** Marks a cell that fails the standard. */
  bad?(row: R): boolean;
  /** Shown for an empty value (default "—"). */
  empty?: string;
  /** The value is a time in minutes: shown as a duration (minutes below two hours), exported in minutes (`unit`). */
  duration?: boolean;
}

export interface Table<R = never> {
  id: string;
  title: string;
  columns: Column<R>[];
  rows: readonly R[];
  rowKey(row: R): string;
}

/** A table whose row type no longer matters (for rendering and export). */
export type AnyTable = Table<any>;

export const sum =
  <R>(get: (r: R) => number) =>
  (rows: readonly R[]): number =>
    rows.reduce((a, r) => a + get(r), 0);

export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The columns the per-town tables share: town, code, population, and persons columns with totals. */
export function townColumns(i18n: I18n) {
  const { t } = i18n;
  const code: Column<{ code: string }> = { key: 'code', label: t('colCode'), value: (r) => r.code };
  const town: Column<{ name: string }> = { key: 'name', label: t('colTown'), value: (r) => r.name, total: () => t('total') };
  const population: Column<{ population: number }> = {
    key: 'population',
    label: t('colPopulation'),
    unit: t('unitPersons'),
    value: (r) => r.population,
    digits: 0,
    total: sum((r) => r.population),
  };
  const persons = <R>(key: string, label: string, get: (r: R) => number, bad?: (r: R) => boolean): Column<R> => ({
    key,
    label,
    unit: t('unitPersons'),
    value: get,
    digits: 0,
    total: sum(get),
    bad,
  });
  return { code, town, population, persons };
}

/** A cell as shown on screen: numbers with thousands separators, booleans as yes/no. */
export function displayValue(v: CellValue, column: Column<never>, i18n: I18n): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return column.empty ?? '—';
  if (typeof v === 'number') return column.duration ? formatDuration(v, i18n) : i18n.n(v, column.digits ?? 2);
  if (typeof v === 'boolean') return i18n.t(v ? 'yes' : 'no');
  return v;
}

/** A header with its unit: 人口（人） / Population (persons); a duration's cells say their own unit, its export (`exported`) does not. */
export const headerText = (column: Column<never>, i18n: I18n, exported = false): string =>
  column.unit && (exported || !column.duration) ? i18n.t('withUnit', { label: column.label, unit: column.unit }) : column.label;
