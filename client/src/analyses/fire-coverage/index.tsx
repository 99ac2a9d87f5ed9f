/**
 * Fire-station coverage in the client (GB 51080-2015 §4.1.3; 建标152-2017): the response time and
 * the station types that count, each station's service area on the map in its own colour (red
 * outline beyond its type's area limit) with the population no station reaches, per-town and
 * per-station tables, and the covered/uncovered chart.
 */
import type { Feature, MultiPolygon } from 'geojson';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { FireCoverageResult, StationCoverage, TownCoverage } from '../../../../core/analysis/fire-coverage/fire-coverage';
import { FIRE_COVERAGE, type FireCoverageRequest } from '../../../../core/analysis/fire-coverage/request';
import { FIRE_RESPONSE, FIRE_STATION_MAX_AREA_KM2 } from '../../../../core/standards';
import { cellFeatures, tagFeatures } from '../../export';
import { useI18n } from '../../i18n';
import { BAD, CELL_COLORS, cellLegend, GOOD, textLayer, uncoveredLayer, type AnalysisDeck, type Label } from '../../map/analysisLayers';
import { labelPoint } from '../../map/labelLayers';
import { hexToRgba, type Rgba } from '../../map/symbols';
import { ratio, sum, townColumns, type Table } from '../../panels/resultTables';
import { Check, NumberParam, optionsOf } from '../params';
import type { ClientAnalysis, FormProps, Run } from '../types';

/** Station types: null until the planner changes them (then the analysis' default applies). */
export type FireDraft = Required<Omit<FireCoverageRequest, 'county' | 'types'>> & { types: string[] | null };
type FireRun = Run<'fire', FireCoverageRequest, FireCoverageResult>;

/** Every default is the standard's (core/standards.ts). */
const DEFAULT_DRAFT: FireDraft = { driveMinutes: FIRE_RESPONSE.driveMinutes, turnoutMinutes: FIRE_RESPONSE.turnoutMinutes, types: null, includePlanned: false };

function FireForm({ draft, layers, onChange }: FormProps<FireDraft>) {
  const { t, l, n } = useI18n();
  const d = DEFAULT_DRAFT;
  const types = optionsOf(layers, 'fire_stations', 'type');
  // Until changed, the analysis' own default applies: every type but micro stations (core/analysis/fire-coverage/fire-coverage.ts).
  const chosen = draft.types ?? types.map((o) => o.value).filter((v) => v !== 'micro');
  const limits = Object.entries(FIRE_STATION_MAX_AREA_KM2)
    .map(([type, km2]) => `${l(types.find((o) => o.value === type) ?? { zh: type, en: type })} ${n(km2!)} km²`)
    .join(t('listSeparator'));
  return (
    <div className="analysis-form" data-form="fire">
      <NumberParam
        id="turnoutMinutes"
        label={t('paramTurnout')}
        unit={t('unitMinutes')}
        value={draft.turnoutMinutes}
        defaultValue={d.turnoutMinutes}
        step={0.5}
        basis="GB 51080-2015 §4.1.3"
        onChange={(v) => onChange({ ...draft, turnoutMinutes: v })}
      />
      <NumberParam
        id="driveMinutes"
        label={t('paramDrive')}
        unit={t('unitMinutes')}
        value={draft.driveMinutes}
        defaultValue={d.driveMinutes}
        step={0.5}
        basis="GB 51080-2015 §4.1.3"
        onChange={(v) => onChange({ ...draft, driveMinutes: v })}
      />
      <p className="param-note">{t('fireResponseTotal', { total: n(draft.turnoutMinutes + draft.driveMinutes) })}</p>
      <fieldset className="enum-filter param-types">
        <legend>{t('paramStationTypes')}</legend>
        {types.map((o) => (
          <label key={o.value} className="chip">
            <input
              type="checkbox"
              checked={chosen.includes(o.value)}
              onChange={(e) => onChange({ ...draft, types: e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value) })}
            />
            {l(o)}
          </label>
        ))}
      </fieldset>
      <p className="param-note">{t('fireAreaLimits', { limits })} · 建标152-2017</p>
      <Check label={t('paramIncludePlanned')} checked={draft.includePlanned} onChange={(v) => onChange({ ...draft, includePlanned: v })} />
    </div>
  );
}

/**
 * Service areas: qualitative colours (ColorBrewer Paired / Dark2 / Set3) without the yellows, oranges
 * and reds of the uncovered cells next to them, reused round-robin.
 */
const STATION_COLORS = ['#1f78b4', '#33a02c', '#6a3d9a', '#a6cee3', '#b2df8a', '#cab2d6', '#1b9e77', '#7570b3', '#66a61e', '#8dd3c7', '#bebada', '#80b1d3'];
const EXCEEDS = '#d50000';

interface ServiceArea extends Feature<MultiPolygon, FireCoverageResult['serviceAreas']['features'][number]['properties']> {
  fill: Rgba;
  exceeds: boolean;
}

function fireLayers(run: FireRun): AnalysisDeck {
  const exceeding = new Set(run.data.stations.filter((s) => s.exceedsArea).map((s) => s.id));
  const areas: ServiceArea[] = run.data.serviceAreas.features.map((f, i) => ({
    ...f,
    fill: hexToRgba(STATION_COLORS[i % STATION_COLORS.length], 115),
    exceeds: exceeding.has(f.properties.station),
  }));
  const names: Label[] = areas.map((f) => ({ position: labelPoint(f.geometry), text: f.properties.name, color: [38, 50, 56, 255] }));
  return {
    under: [
      new GeoJsonLayer({
        id: 'analysis-service-areas',
        data: areas,
        filled: true,
        stroked: true,
        getFillColor: (f) => (f as ServiceArea).fill,
        getLineColor: [255, 255, 255, 220],
        getLineWidth: 1,
        lineWidthUnits: 'pixels',
      }),
      uncoveredLayer(run.data.uncovered.features),
      // Red on a white halo, so the outline stands out from the red cells around it.
      ...[
        { id: 'halo', color: [255, 255, 255, 255] as Rgba, width: 6 },
        { id: 'outline', color: hexToRgba(EXCEEDS), width: 3 },
      ].map(
        (o) =>
          new GeoJsonLayer({
            id: `analysis-exceeding-${o.id}`,
            data: areas.filter((f) => f.exceeds),
            filled: false,
            stroked: true,
            getLineColor: o.color,
            getLineWidth: o.width,
            lineWidthUnits: 'pixels',
          }),
      ),
    ],
    over: [textLayer('analysis-service-labels', names, 12)],
  };
}

export const fireCoverage: ClientAnalysis<'fire', FireCoverageRequest, FireCoverageResult, FireDraft> = {
  definition: FIRE_COVERAGE,
  name: 'kindFire',
  hint: 'kindFireHint',
  perCounty: true,
  params: { driveMinutes: 'paramDrive', turnoutMinutes: 'paramTurnout', types: 'paramStationTypes' },
  defaultDraft: DEFAULT_DRAFT,
  Form: FireForm,
  request({ types, ...rest }, county) {
    return { body: { county, ...rest, ...(types ? { types } : {}) } };
  },
  layers: (run) => fireLayers(run),
  legend(_run, i18n) {
    const { t } = i18n;
    return [
      {
        title: t('legendServiceAreas'),
        entries: [
          { color: STATION_COLORS[0], style: 'fill', label: t('legendStationArea') },
          { color: EXCEEDS, style: 'outline', label: t('legendExceeds') },
        ],
      },
      cellLegend(t('legendUncovered'), CELL_COLORS, i18n),
    ];
  },
  tables(run, layers, i18n) {
    const { t, l } = i18n;
    const { code, town, population, persons } = townColumns(i18n);
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
  },
  chart(run, i18n) {
    const { t, n } = i18n;
    const segment = (value: number, color: string, label: string) => ({ value, color, title: `${label} ${n(value, 0)}` });
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
  },
  summary(run, { t, n }) {
    const pct = (a: number, b: number) => (b > 0 ? n((a / b) * 100, 1) : '—');
    const total = run.data.towns.reduce((a, r) => a + r.population, 0);
    const covered = run.data.towns.reduce((a, r) => a + r.covered, 0);
    const exceeding = run.data.stations.filter((s) => s.exceedsArea);
    const minutes = run.data.parameters.turnoutMinutes + run.data.parameters.driveMinutes;
    const problems = run.data.stations.filter((s) => s.problem);
    return {
      lines: [
        t('summaryCovered', { minutes: n(minutes), covered: n(covered, 0), total: n(total, 0), share: pct(covered, total) }),
        t('summaryUncovered', { persons: n(total - covered, 0), cells: n(run.data.uncovered.features.length, 0) }),
        t('summaryStations', { count: run.data.stations.length, exceeding: exceeding.length }),
      ],
      details: problems.length ? { title: t('stationProblems', { count: problems.length }), items: problems.map((s) => `${s.name}: ${s.problem}`) } : undefined,
      basis: { label: t('basis'), text: run.data.parameters.basis },
    };
  },
  geojson(run) {
    const stations = new Map(run.data.stations.map((s) => [s.id, s]));
    const areas = run.data.serviceAreas.features.map((f) => {
      const s = stations.get(f.properties.station);
      return { ...f, properties: { ...f.properties, maxAreaKm2: s?.maxAreaKm2 ?? null, exceedsArea: s?.exceedsArea ?? false } };
    });
    return { features: [...tagFeatures('service_area', areas), ...cellFeatures(run.data.uncovered)], parameters: { county: run.body.county, ...run.data.parameters } };
  },
};
