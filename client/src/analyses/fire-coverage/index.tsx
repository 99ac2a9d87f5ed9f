/**
 * Fire-station coverage in the client: urban towns (街道 and those the planner marks) against the
 * 5-minute rule of GB 51080-2015 §4.1.3, rural towns against the 15-minute setting, micro stations
 * against 公消〔2015〕301号's 3 minutes. Each station's service area on the map in its own colour
 * (red outline beyond its type's area limit, 建标152-2017), the population no station reaches,
 * stations far from the road ringed; tables of urban/rural/total, towns, stations and micro
 * stations; the server's basis and warnings are Notes rendered in the reader's language.
 */
import type { Feature, MultiPolygon } from 'geojson';
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { CoverageTotal, FireCoverageResult, MicroTown, StationCoverage, TownCoverage } from '../../../../core/analysis/fire-coverage/fire-coverage';
import { FIRE_COVERAGE, type FireCoverageRequest } from '../../../../core/analysis/fire-coverage/request';
import { FIRE_OFF_ROAD_WARN_M, FIRE_RESPONSE, FIRE_RURAL_RESPONSE, FIRE_STATION_MAX_AREA_KM2, MICRO_STATION_RESPONSE } from '../../../../core/standards';
import { cellFeatures, tagFeatures } from '../../export';
import { useI18n, type I18n } from '../../i18n';
import { noteText } from '../../i18n/notes';
import type { MessageKey } from '../../i18n/messages';
import { BAD, CELL_COLORS, cellLegend, GOOD, textLayer, uncoveredLayer, type AnalysisDeck, type Label } from '../../map/analysisLayers';
import { labelPoint } from '../../map/labelLayers';
import { hexToRgba, type Rgba } from '../../map/symbols';
import { ratio, sum, townColumns, type Table } from '../../panels/resultTables';
import { Check, NumberParam, optionsOf } from '../params';
import type { ClientAnalysis, FormProps, Run } from '../types';
import { markedIn, UrbanTowns, type MarkedTowns } from '../urbanTowns';

/**
 * Station types: null until the planner changes them (then the analysis' default applies). Towns
 * marked urban are kept per county, so switching county never sends another county's codes.
 */
export type FireDraft = Required<Omit<FireCoverageRequest, 'county' | 'types' | 'urbanTowns'>> & { types: string[] | null; urbanTowns: MarkedTowns };
type FireRun = Run<'fire', FireCoverageRequest, FireCoverageResult>;

/** Every default is the standard's or a named setting (core/standards.ts). */
const DEFAULT_DRAFT: FireDraft = {
  driveMinutes: FIRE_RESPONSE.driveMinutes,
  turnoutMinutes: FIRE_RESPONSE.turnoutMinutes,
  ruralDriveMinutes: FIRE_RURAL_RESPONSE.driveMinutes,
  urbanTowns: {},
  types: null,
  includePlanned: false,
  offRoadWarnM: FIRE_OFF_ROAD_WARN_M,
  microMinutes: MICRO_STATION_RESPONSE.minutes,
  microMode: 'drive',
};

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
        label={t('fireParamUrbanDrive')}
        unit={t('unitMinutes')}
        value={draft.driveMinutes}
        defaultValue={d.driveMinutes}
        step={0.5}
        basis="GB 51080-2015 §4.1.3"
        onChange={(v) => onChange({ ...draft, driveMinutes: v })}
      />
      <p className="param-note">{t('fireResponseTotal', { total: n(draft.turnoutMinutes + draft.driveMinutes) })}</p>
      <NumberParam
        id="ruralDriveMinutes"
        label={t('fireParamRuralDrive')}
        unit={t('unitMinutes')}
        value={draft.ruralDriveMinutes}
        defaultValue={d.ruralDriveMinutes}
        step={1}
        basis={t('fireRuralBasis')}
        onChange={(v) => onChange({ ...draft, ruralDriveMinutes: v })}
      />
      <p className="param-note">{t('fireRuralTotal', { total: n(draft.turnoutMinutes + draft.ruralDriveMinutes) })}</p>
      <UrbanTowns marked={draft.urbanTowns} onChange={(urbanTowns) => onChange({ ...draft, urbanTowns })} />
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
      <NumberParam
        id="offRoadWarnM"
        label={t('fireParamOffRoad')}
        unit="m"
        value={draft.offRoadWarnM}
        defaultValue={d.offRoadWarnM}
        step={50}
        max={1000}
        onChange={(v) => onChange({ ...draft, offRoadWarnM: v })}
      />
      <NumberParam
        id="microMinutes"
        label={t('fireParamMicroMinutes')}
        unit={t('unitMinutes')}
        value={draft.microMinutes}
        defaultValue={d.microMinutes}
        step={0.5}
        basis={t('fireMicroBasis')}
        onChange={(v) => onChange({ ...draft, microMinutes: v })}
      />
      <label className="param-select" data-param="microMode">
        <span className="param-label">{t('fireParamMicroMode')}</span>
        <select value={draft.microMode} onChange={(e) => onChange({ ...draft, microMode: e.target.value === 'walk' ? 'walk' : 'drive' })}>
          <option value="drive">{t('fireModeDrive')}</option>
          <option value="walk">{t('fireModeWalk')}</option>
        </select>
      </label>
    </div>
  );
}

/**
 * Service areas: qualitative colours (ColorBrewer Paired / Dark2 / Set3) without the yellows, oranges
 * and reds of the uncovered cells next to them, reused round-robin.
 */
const STATION_COLORS = ['#1f78b4', '#33a02c', '#6a3d9a', '#a6cee3', '#b2df8a', '#cab2d6', '#1b9e77', '#7570b3', '#66a61e', '#8dd3c7', '#bebada', '#80b1d3'];
const EXCEEDS = '#d50000';
const FLAGGED = '#6a1b9a';

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
    over: [
      // A ring round each station whose figures need a look (off the network, or far from a road).
      new ScatterplotLayer<StationCoverage>({
        id: 'analysis-flagged-stations',
        data: run.data.stations.filter((s) => s.notes.length > 0),
        getPosition: (s) => [s.lon, s.lat],
        getRadius: 14,
        radiusUnits: 'pixels',
        filled: false,
        stroked: true,
        getLineColor: hexToRgba(FLAGGED),
        getLineWidth: 3,
        lineWidthUnits: 'pixels',
      }),
      textLayer('analysis-service-labels', names, 12),
    ],
  };
}

const notesText = (notes: FireCoverageResult['warnings'], i18n: I18n): string => notes.map((x) => noteText(x, i18n)).join('；');

const RULE_LABEL: Record<string, MessageKey> = { street: 'fireRuleUrbanStreet', marked: 'fireRuleUrbanMarked', rural: 'fireRuleRural' };
const ruleLabel = (r: TownCoverage, t: I18n['t']): string => t(RULE_LABEL[r.urbanBy ?? 'rural']);

const pct = (rows: readonly { covered: number; population: number }[]): number | null => {
  const covered = ratio(sum<{ covered: number }>((r) => r.covered)(rows), sum<{ population: number }>((r) => r.population)(rows));
  return covered === null ? null : covered * 100;
};

interface TotalRow extends CoverageTotal {
  scope: 'urban' | 'rural' | 'all';
}
const SCOPE_LABEL: Record<TotalRow['scope'], MessageKey> = { urban: 'fireScopeUrban', rural: 'fireScopeRural', all: 'fireScopeAll' };

export const fireCoverage: ClientAnalysis<'fire', FireCoverageRequest, FireCoverageResult, FireDraft> = {
  definition: FIRE_COVERAGE,
  name: 'kindFire',
  hint: 'kindFireHint',
  perCounty: true,
  params: {
    driveMinutes: 'fireParamUrbanDrive',
    turnoutMinutes: 'paramTurnout',
    ruralDriveMinutes: 'fireParamRuralDrive',
    urbanTowns: 'fireUrbanTowns',
    types: 'paramStationTypes',
    offRoadWarnM: 'fireParamOffRoad',
    microMinutes: 'fireParamMicroMinutes',
    microMode: 'fireParamMicroMode',
  },
  defaultDraft: DEFAULT_DRAFT,
  Form: FireForm,
  request({ types, urbanTowns, ...rest }, county) {
    const marked = markedIn(urbanTowns, county);
    return { body: { county, ...rest, ...(types ? { types } : {}), ...(marked.length ? { urbanTowns: marked } : {}) } };
  },
  layers: (run) => fireLayers(run),
  legend(run, i18n) {
    const { t } = i18n;
    const flagged = run.data.stations.some((s) => s.notes.length > 0);
    return [
      {
        title: t('legendServiceAreas'),
        entries: [
          { color: STATION_COLORS[0], style: 'fill', label: t('legendStationArea') },
          { color: EXCEEDS, style: 'outline', label: t('legendExceeds') },
          ...(flagged ? [{ color: FLAGGED, style: 'outline' as const, label: t('fireLegendFlagged') }] : []),
        ],
      },
      cellLegend(t('legendUncovered'), CELL_COLORS, i18n),
    ];
  },
  tables(run, layers, i18n) {
    const { t, l } = i18n;
    const { code, town, population, persons } = townColumns(i18n);
    const share = <R extends { covered: number; population: number; share: number }>(): Table<R>['columns'][number] => ({
      key: 'share',
      label: t('colShare'),
      unit: '%',
      value: (r) => r.share * 100,
      digits: 1,
      total: (rows) => pct(rows),
    });
    const { urban, rural, all } = run.data.totals;
    const totals: Table<TotalRow> = {
      id: 'totals',
      title: t('fireTableTotals'),
      rowKey: (r) => r.scope,
      rows: [
        { scope: 'urban', ...urban },
        { scope: 'rural', ...rural },
        { scope: 'all', ...all },
      ],
      columns: [
        { key: 'scope', label: t('fireColScope'), value: (r) => t(SCOPE_LABEL[r.scope]) },
        { key: 'towns', label: t('fireColTowns'), value: (r) => r.towns, digits: 0 },
        { key: 'population', label: t('colPopulation'), unit: t('unitPersons'), value: (r) => r.population, digits: 0 },
        { key: 'covered', label: t('colCovered'), unit: t('unitPersons'), value: (r) => r.covered, digits: 0 },
        { key: 'share', label: t('colShare'), unit: '%', value: (r) => r.share * 100, digits: 1 },
      ],
    };
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
        share<TownCoverage>(),
        { key: 'rule', label: t('fireColRule'), value: (r) => ruleLabel(r, t) },
        { key: 'minutes', label: t('fireColMinutes'), unit: t('unitMinutes'), value: (r) => r.minutes, digits: 2 },
      ],
    };
    const typeField = layers.find((x) => x.id === 'fire_stations')?.fields.find((f) => f.name === 'type');
    const typeLabel = (v: string) => {
      const o = typeField?.options?.find((x) => x.value === v);
      return o ? l(o) : v;
    };
    const warnM = run.data.parameters.offRoadWarnM;
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
        { key: 'accessM', label: t('fireColAccess'), unit: 'm', value: (r) => r.accessM, digits: 0, bad: (r) => r.accessM === null || r.accessM > warnM },
        { key: 'notes', label: t('fireColNotes'), value: (r) => (r.notes.length ? notesText(r.notes, i18n) : null), bad: (r) => r.notes.length > 0 },
      ],
    };
    const micro: Table<MicroTown> = {
      id: 'micro',
      title: t('fireTableMicro'),
      rowKey: (r) => r.code,
      rows: run.data.micro.towns,
      columns: [
        town,
        code,
        { key: 'stations', label: t('fireColMicroStations'), value: (r) => r.stations, digits: 0, bad: (r) => r.stations === 0, total: sum((r) => r.stations) },
        population,
        persons('covered', t('colCovered'), (r) => r.covered),
        share<MicroTown>(),
      ],
    };
    return [totals, towns, stations, micro];
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
  summary(run, i18n) {
    const { t, n } = i18n;
    const { totals, micro, parameters: p } = run.data;
    const share = (x: CoverageTotal) => (x.population > 0 ? n(x.share * 100, 1) : '—');
    const scope = (scopeKey: MessageKey, x: CoverageTotal, minutes: number) =>
      t('fireSummaryScope', { scope: t(scopeKey), minutes: n(minutes), covered: n(x.covered, 0), total: n(x.population, 0), share: share(x) });
    const exceeding = run.data.stations.filter((s) => s.exceedsArea);
    const all = totals.all;
    return {
      lines: [
        ...(totals.urban.towns ? [scope('fireScopeUrban', totals.urban, p.turnoutMinutes + p.driveMinutes)] : []),
        ...(totals.rural.towns ? [scope('fireScopeRural', totals.rural, p.turnoutMinutes + p.ruralDriveMinutes)] : []),
        t('fireSummaryAll', { covered: n(all.covered, 0), total: n(all.population, 0), share: share(all) }),
        t('summaryUncovered', { persons: n(all.population - all.covered, 0), cells: n(run.data.uncovered.features.length, 0) }),
        t('summaryStations', { count: run.data.stations.length, exceeding: exceeding.length }),
        t('fireSummaryMicro', {
          stations: n(micro.stations, 0),
          minutes: n(micro.minutes),
          covered: n(micro.total.covered, 0),
          total: n(micro.total.population, 0),
          share: share(micro.total),
          without: n(micro.townsWithout.length, 0),
        }),
      ],
      details: run.data.warnings.length
        ? { title: t('fireWarnings', { count: run.data.warnings.length }), items: run.data.warnings.map((x) => noteText(x, i18n)) }
        : undefined,
      basis: { label: t('basis'), text: notesText(run.data.basis, i18n) },
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
