/**
 * What a run shows besides the map: its tables (per town; per station for fire coverage) and its
 * chart. A table's columns carry raw values, so one description serves the sortable table on
 * screen (formatted for the language) and the CSV export (plain numbers for a spreadsheet).
 */
import type { StationCoverage, TownCoverage } from '../../../core/analysis/fire-coverage';
import type { TownRelief } from '../../../core/analysis/relief-reach';
import type { ChosenSite } from '../../../core/analysis/planner-siting';
import type { AnalysisRun, ShelterTownRow } from '../api/analysis';
import type { SitingResult } from '../api/siting';
import type { Layer } from '../api/layers';
import type { I18n } from '../i18n';
import { reliefColor, shelterColor, SITE_COLOR } from '../map/analysisLayers';
import type { Chart } from './BarChart';

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

const sum =
  <R>(get: (r: R) => number) =>
  (rows: readonly R[]): number =>
    rows.reduce((a, r) => a + get(r), 0);

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function resultTables(run: AnalysisRun, layers: readonly Layer[], i18n: I18n): AnyTable[] {
  const { t, l } = i18n;
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

  switch (run.kind) {
    case 'isochrone':
      return [];
    case 'fire': {
      const towns: Table<TownCoverage> = {
        id: 'towns',
        title: t('tableTowns'),
        rowKey: (r) => r.code,
        rows: run.data.towns,
        columns: [
          town,
          code,
          population,
          persons('covered', t('colCovered'), (r) => r.covered),
          persons('uncovered', t('colUncovered'), (r) => r.uncovered, (r) => r.uncovered > 0),
          {
            key: 'share',
            label: t('colShare'),
            unit: '%',
            value: (r) => r.share * 100,
            digits: 1,
            total: (rows) => {
              const covered = ratio(sum<TownCoverage>((r) => r.covered)(rows), sum<TownCoverage>((r) => r.population)(rows));
              return covered === null ? null : covered * 100;
            },
          },
        ],
      };
      const typeField = layers.find((x) => x.id === 'fire_stations')?.fields.find((f) => f.name === 'type');
      const typeLabel = (v: string) => {
        const o = typeField?.options?.find((x) => x.value === v);
        return o ? l(o) : v;
      };
      const stations: Table<StationCoverage> = {
        id: 'stations',
        title: t('tableStations'),
        rowKey: (r) => r.id,
        rows: run.data.stations,
        columns: [
          { key: 'name', label: t('colStation'), value: (r) => r.name, total: () => t('total') },
          { key: 'type', label: t('colType'), value: (r) => typeLabel(r.type) },
          persons('population', t('colReached'), (r) => r.population),
          { key: 'areaKm2', label: t('colArea'), unit: 'km²', value: (r) => r.areaKm2, digits: 2, total: sum((r) => r.areaKm2) },
          { key: 'maxAreaKm2', label: t('colMaxArea'), unit: 'km²', value: (r) => r.maxAreaKm2, digits: 0 },
          { key: 'exceedsArea', label: t('colExceeds'), value: (r) => r.exceedsArea, bad: (r) => r.exceedsArea, total: (rows) => rows.filter((r) => r.exceedsArea).length },
          { key: 'problem', label: t('colProblem'), value: (r) => r.problem ?? null, bad: (r) => Boolean(r.problem) },
        ],
      };
      return [towns, stations];
    }
    case 'siting': {
      const sites: Table<ChosenSite> = {
        id: 'sites',
        title: t('tableSites'),
        rowKey: (r) => r.id,
        rows: run.data.chosen,
        columns: [
          { key: 'rank', label: t('colRank'), value: (r) => r.rank, digits: 0, total: () => t('total') },
          { key: 'town', label: t('colTown'), value: (r) => r.town },
          persons('addedPopulation', t('colAdded'), (r) => r.addedPopulation),
          { key: 'lon', label: t('colLon'), value: (r) => r.lon, digits: 5 },
          { key: 'lat', label: t('colLat'), value: (r) => r.lat, digits: 5 },
        ],
      };
      const towns: Table<SitingResult['towns'][number]> = {
        id: 'towns',
        title: t('tableTowns'),
        rowKey: (r) => r.code,
        rows: run.data.towns,
        columns: [
          town,
          code,
          population,
          persons('coveredBefore', t('colCoveredBefore'), (r) => r.coveredBefore),
          persons('coveredAfter', t('colCoveredAfter'), (r) => r.coveredAfter),
          persons('added', t('colAdded'), (r) => r.coveredAfter - r.coveredBefore),
        ],
      };
      return [sites, towns];
    }
    case 'shelter': {
      const perResident = (rows: readonly ShelterTownRow[]) => ratio(sum<ShelterTownRow>((r) => r.areaM2)(rows), sum<ShelterTownRow>((r) => r.population)(rows));
      const threshold = run.data.parameters.areaPerResidentM2;
      const towns: Table<ShelterTownRow> = {
        id: 'towns',
        title: t('tableTowns'),
        rowKey: (r) => r.code,
        rows: run.data.towns,
        columns: [
          town,
          code,
          population,
          { key: 'shelters', label: t('colShelters'), unit: t('unitPlaces'), value: (r) => r.shelters, digits: 0, total: sum((r) => r.shelters) },
          { key: 'areaM2', label: t('colShelterArea'), unit: 'm²', value: (r) => r.areaM2, digits: 0, total: sum((r) => r.areaM2) },
          {
            key: 'areaPerResidentM2',
            label: t('colPerResident'),
            unit: t('unitM2PerPerson'),
            value: (r) => r.areaPerResidentM2,
            digits: 2,
            total: perResident,
            bad: (r) => !r.meetsStandard,
          },
          {
            key: 'meetsStandard',
            label: t('colMeets', { threshold: i18n.n(threshold) }),
            value: (r) => r.meetsStandard,
            bad: (r) => !r.meetsStandard,
            total: (rows) => {
              const v = perResident(rows);
              return v === null ? null : v >= threshold;
            },
          },
          { key: 'shortfallM2', label: t('colShortfallM2'), unit: 'm²', value: (r) => r.shortfallM2, digits: 0, total: sum((r) => r.shortfallM2) },
          persons('shortfallPersons', t('colShortfallPersons'), (r) => r.shortfallPersons),
          persons('populationInReach', t('colInReach'), (r) => r.populationInReach),
          persons('populationOutOfReach', t('colOutOfReach'), (r) => r.populationOutOfReach, (r) => r.populationOutOfReach > 0),
        ],
      };
      return [towns];
    }
    case 'relief': {
      const target = run.data.parameters.targetHours;
      const towns: Table<TownRelief> = {
        id: 'towns',
        title: t('tableTowns'),
        rowKey: (r) => r.code,
        rows: run.data.towns,
        columns: [
          town,
          code,
          population,
          {
            key: 'worstHours',
            label: t('colWorstHours'),
            unit: t('unitHours'),
            value: (r) => r.worstHours,
            digits: 2,
            empty: t('unreachableShort'),
            bad: (r) => r.worstHours === null || r.worstHours > target,
            total: (rows) => (rows.every((r) => r.worstHours === null) ? null : Math.max(...rows.map((r) => r.worstHours ?? 0))),
          },
          {
            key: 'meanHours',
            label: t('colMeanHours'),
            unit: t('unitHours'),
            value: (r) => r.meanHours,
            digits: 2,
            total: (rows) => {
              const reached = rows.filter((r) => r.meanHours !== null);
              return ratio(sum<TownRelief>((r) => r.meanHours! * r.population)(reached), sum<TownRelief>((r) => r.population)(reached));
            },
          },
          persons('populationBeyondTarget', t('colBeyond', { target: i18n.n(target) }), (r) => r.populationBeyondTarget, (r) => r.populationBeyondTarget > 0),
          persons('populationUnreachable', t('colUnreachable'), (r) => r.populationUnreachable, (r) => r.populationUnreachable > 0),
          {
            key: 'withinTarget',
            label: t('colWithin', { target: i18n.n(target) }),
            value: (r) => r.withinTarget,
            bad: (r) => !r.withinTarget,
            total: (rows) => rows.every((r) => r.withinTarget),
          },
        ],
      };
      return [towns];
    }
  }
}

const GOOD = '#1a9850';
const BAD = '#f03b20';
/** People the proposed sites add: the colour of their markers on the map. */
const ADDED = SITE_COLOR;

/** The run's chart: covered vs uncovered persons, m² per resident, or worst hours, per town. */
export function resultChart(run: AnalysisRun, i18n: I18n): Chart {
  const { t, n } = i18n;
  /** A bar segment of persons, its tooltip naming what and how many. */
  const segment = (value: number, color: string, label: string) => ({ value, color, title: `${label} ${n(value, 0)}` });
  switch (run.kind) {
    case 'isochrone': {
      const rings = run.data.features;
      return {
        title: t('chartRings'),
        max: Math.max(1, ...rings.map((f) => f.properties.population ?? 0)),
        bars: rings.map((f, i) => ({
          key: String(i),
          label: t(f.properties.method === 'network' ? 'minutesShort' : 'minutesStraight', { minutes: n(f.properties.minutes) }),
          segments: [{ value: f.properties.population ?? 0, color: f.properties.method === 'network' ? GOOD : '#7e57c2', title: n(f.properties.population ?? 0, 0) }],
          text: n(f.properties.population ?? 0, 0),
        })),
      };
    }
    case 'fire': {
      const towns = [...run.data.towns].sort((a, b) => b.population - a.population);
      return {
        title: t('chartCoverage'),
        max: Math.max(1, ...towns.map((r) => r.population)),
        keys: [
          { color: GOOD, label: t('colCovered') },
          { color: BAD, label: t('colUncovered') },
        ],
        bars: towns.map((r) => ({
          key: r.code,
          label: r.name,
          segments: [
            segment(r.covered, GOOD, t('colCovered')),
            segment(r.uncovered, BAD, t('colUncovered')),
          ],
          text: `${n(r.share * 100, 1)}%`,
        })),
      };
    }
    case 'siting': {
      const towns = [...run.data.towns].sort((a, b) => b.coveredAfter - b.coveredBefore - (a.coveredAfter - a.coveredBefore) || b.population - a.population);
      return {
        title: t('chartBeforeAfter'),
        max: Math.max(1, ...towns.map((r) => r.population)),
        keys: [
          { color: GOOD, label: t('colCoveredBefore') },
          { color: ADDED, label: t('colAdded') },
          { color: BAD, label: t('colUncovered') },
        ],
        bars: towns.map((r) => ({
          key: r.code,
          label: r.name,
          segments: [
            segment(r.coveredBefore, GOOD, t('colCoveredBefore')),
            segment(r.coveredAfter - r.coveredBefore, ADDED, t('colAdded')),
            segment(r.population - r.coveredAfter, BAD, t('colUncovered')),
          ],
          text: `${n(r.population ? (r.coveredBefore / r.population) * 100 : 0, 1)}% → ${n(r.population ? (r.coveredAfter / r.population) * 100 : 0, 1)}%`,
        })),
      };
    }
    case 'shelter': {
      const threshold = run.data.parameters.areaPerResidentM2;
      const towns = [...run.data.towns].sort((a, b) => (a.areaPerResidentM2 ?? Infinity) - (b.areaPerResidentM2 ?? Infinity));
      const largest = Math.max(...towns.map((r) => r.areaPerResidentM2 ?? 0));
      return {
        title: t('chartPerResident'),
        // A few towns with a park each would squash the rest: the axis stops at 4× the threshold.
        max: Math.max(threshold * 1.2, Math.min(largest, threshold * 4)),
        threshold: { value: threshold, label: `${n(threshold)} ${t('unitM2PerPerson')}` },
        bars: towns.map((r) => ({
          key: r.code,
          label: r.name,
          segments: [{ value: r.areaPerResidentM2 ?? 0, color: shelterColor(r.areaPerResidentM2, threshold), title: r.name }],
          text: r.areaPerResidentM2 === null ? '—' : n(r.areaPerResidentM2, 2),
        })),
      };
    }
    case 'relief': {
      const target = run.data.parameters.targetHours;
      const towns = [...run.data.towns].sort((a, b) => (b.worstHours ?? Infinity) - (a.worstHours ?? Infinity));
      const largest = Math.max(...towns.map((r) => r.worstHours ?? 0));
      const max = Math.max(target, largest) * 1.05;
      return {
        title: t('chartWorstHours'),
        max,
        threshold: { value: target, label: t('hoursShort', { hours: n(target) }) },
        bars: towns.map((r) => ({
          key: r.code,
          label: r.name,
          segments: [{ value: r.worstHours ?? max, color: reliefColor(r.worstHours, target), title: r.name }],
          text: r.worstHours === null ? t('unreachableShort') : t('hoursShort', { hours: n(r.worstHours, 2) }),
        })),
      };
    }
  }
}

/** A cell as shown on screen: numbers with thousands separators, booleans as yes/no. */
export function displayValue(v: CellValue, column: Column<never>, i18n: I18n): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return column.empty ?? '—';
  if (typeof v === 'number') return i18n.n(v, column.digits ?? 2);
  if (typeof v === 'boolean') return i18n.t(v ? 'yes' : 'no');
  return v;
}

/** A header with its unit: 人口（人） / Population (persons). */
export const headerText = (column: Column<never>, i18n: I18n): string =>
  column.unit ? i18n.t('withUnit', { label: column.label, unit: column.unit }) : column.label;
