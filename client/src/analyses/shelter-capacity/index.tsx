/**
 * Shelter capacity in the client (GB 51143-2015, GB 21734-2008, 1.5 m²/resident of the 江北 plan):
 * the hazard, threshold, service radii and geohazard buffer; towns coloured by m² per resident
 * against the threshold, the residents beyond walking reach, and the shelters a geohazard rules
 * out ringed in red; the per-town table and chart.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import type { ShelterCapacityJson, ShelterTownRow } from '../../../../core/analysis/shelter-capacity/index';
import { SHELTER_CAPACITY, type ShelterCapacityRequest } from '../../../../core/analysis/shelter-capacity/request';
import { DEFAULT_HAZARD_BUFFER_M } from '../../../../core/analysis/shelter-capacity/suitability';
import { PLAN_AREA_PER_RESIDENT_M2, SHELTER_AREA_PER_PERSON, SHELTER_SERVICE_RADIUS_M, type ShelterClass } from '../../../../core/standards';
import { cellFeatures, tagFeatures } from '../../export';
import { useI18n } from '../../i18n';
import { noteText } from '../../i18n/notes';
import { CELL_COLORS_OVER, cellLegend, joinTowns, NO_DATA, townLayer, uncoveredLayer } from '../../map/analysisLayers';
import { hexToRgba } from '../../map/symbols';
import { ratio, sum, townColumns, type Table } from '../../panels/resultTables';
import { Check, NumberParam, OptionSelect, optionsOf } from '../params';
import type { ClientAnalysis, FormProps, Run } from '../types';

/** Empty hazard: every in-use shelter counts, whatever it is declared for. */
export type ShelterDraft = Required<Omit<ShelterCapacityRequest, 'county' | 'hazard' | 'serviceRadiusM'>> & { hazard: string; serviceRadiusM: Record<ShelterClass, number> };
type ShelterRun = Run<'shelter', ShelterCapacityRequest, ShelterCapacityJson>;

const DEFAULT_DRAFT: ShelterDraft = {
  hazard: '',
  areaPerResidentM2: PLAN_AREA_PER_RESIDENT_M2,
  serviceRadiusM: { ...SHELTER_SERVICE_RADIUS_M },
  metric: 'network',
  bufferM: DEFAULT_HAZARD_BUFFER_M,
  includePlanned: false,
};

const CLASSES = Object.keys(SHELTER_AREA_PER_PERSON) as ShelterClass[];

function ShelterForm({ draft, layers, onChange }: FormProps<ShelterDraft>) {
  const { t, l, n } = useI18n();
  const d = DEFAULT_DRAFT;
  const hazards = optionsOf(layers, 'shelters', 'hazards');
  const classes = optionsOf(layers, 'shelters', 'class');
  const classLabel = (c: ShelterClass) => l(classes.find((o) => o.value === c) ?? { zh: c, en: c });
  const perClass = CLASSES.map((c) => `${classLabel(c)} ${n(SHELTER_AREA_PER_PERSON[c])}`).join(t('listSeparator'));
  return (
    <div className="analysis-form" data-form="shelter">
      <OptionSelect label={t('paramHazard')} any={t('anyHazard')} options={hazards} value={draft.hazard} onChange={(hazard) => onChange({ ...draft, hazard })} />
      <NumberParam
        id="areaPerResidentM2"
        label={t('paramAreaPerResident')}
        unit={t('unitM2PerPerson')}
        value={draft.areaPerResidentM2}
        defaultValue={d.areaPerResidentM2}
        step={0.1}
        basis={t('basisJiangbei')}
        onChange={(v) => onChange({ ...draft, areaPerResidentM2: v })}
      />
      <p className="param-note">{t('shelterPerClass', { list: perClass })} · GB 51143-2015</p>
      <fieldset className="param-group">
        <legend>
          {t('paramServiceRadius')} <span className="muted">· GB 21734-2008</span>
        </legend>
        {CLASSES.map((c) => (
          <NumberParam
            key={c}
            id={`serviceRadiusM.${c}`}
            label={classLabel(c)}
            unit="m"
            value={draft.serviceRadiusM[c]}
            defaultValue={d.serviceRadiusM[c]}
            step={100}
            onChange={(v) => onChange({ ...draft, serviceRadiusM: { ...draft.serviceRadiusM, [c]: v } })}
          />
        ))}
      </fieldset>
      <label className="param-select">
        <span className="param-label">{t('paramMetric')}</span>
        <select value={draft.metric} onChange={(e) => onChange({ ...draft, metric: e.target.value as typeof draft.metric })}>
          <option value="network">{t('metricNetwork')}</option>
          <option value="straight-line">{t('metricStraight')}</option>
        </select>
      </label>
      <NumberParam
        id="bufferM"
        label={t('paramBuffer')}
        unit="m"
        value={draft.bufferM}
        defaultValue={d.bufferM}
        step={50}
        basis={t('basisBuffer')}
        onChange={(v) => onChange({ ...draft, bufferM: v })}
      />
      <Check label={t('paramIncludePlanned')} checked={draft.includePlanned} onChange={(v) => onChange({ ...draft, includePlanned: v })} />
    </div>
  );
}

/** Towns: shelter area per resident relative to the threshold T. */
const PER_RESIDENT_CLASSES = [
  { min: 2, color: '#1a9850' },
  { min: 1, color: '#a6d96a' },
  { min: 0.5, color: '#fdae61' },
  { min: 0, color: '#d73027' },
];
const shelterColor = (perResident: number | null, threshold: number): string =>
  perResident === null ? NO_DATA : PER_RESIDENT_CLASSES.find((c) => perResident >= c.min * threshold)!.color;

/** Shelters ruled out near a geohazard point: a red ring around the shelter's own symbol. */
const UNSUITABLE = '#d50000';
function unsuitableLayer(shelters: ShelterCapacityJson['unsuitable']): DeckLayer {
  return new ScatterplotLayer({
    id: 'analysis-unsuitable',
    data: shelters,
    getPosition: (s) => [s.lon, s.lat],
    radiusUnits: 'pixels',
    getRadius: 13,
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
    getLineColor: hexToRgba(UNSUITABLE, 255),
  });
}

export const shelterCapacity: ClientAnalysis<'shelter', ShelterCapacityRequest, ShelterCapacityJson, ShelterDraft> = {
  definition: SHELTER_CAPACITY,
  name: 'kindShelter',
  hint: 'kindShelterHint',
  perCounty: true,
  params: { hazard: 'paramHazard', areaPerResidentM2: 'paramAreaPerResident', serviceRadiusM: 'paramServiceRadius', metric: 'paramMetric', bufferM: 'paramBuffer' },
  defaultDraft: DEFAULT_DRAFT,
  Form: ShelterForm,
  // An empty hazard is left out, so every in-use shelter counts.
  request: ({ hazard, ...rest }, county) => ({ body: { county, ...rest, ...(hazard ? { hazard } : {}) } }),
  layers(run: ShelterRun, adminUnits) {
    const threshold = run.data.parameters.areaPerResidentM2;
    const towns = townLayer(adminUnits, run.data.towns, (r) => shelterColor(r.areaPerResidentM2, threshold));
    return { under: [towns, uncoveredLayer(run.data.uncovered.features, true)], over: [], top: [unsuitableLayer(run.data.unsuitable)] };
  },
  legend(run, i18n) {
    const { t, n } = i18n;
    const threshold = run.data.parameters.areaPerResidentM2;
    const m2 = (k: number) => n(k * threshold);
    return [
      {
        title: t('legendPerResident', { threshold: n(threshold) }),
        entries: [
          { color: PER_RESIDENT_CLASSES[0].color, style: 'fill', label: t('legendAtLeast', { value: m2(2) }) },
          { color: PER_RESIDENT_CLASSES[1].color, style: 'fill', label: t('legendMeets', { from: m2(1), to: m2(2) }) },
          { color: PER_RESIDENT_CLASSES[2].color, style: 'fill', label: t('legendFails', { from: m2(0.5), to: m2(1) }) },
          { color: PER_RESIDENT_CLASSES[3].color, style: 'fill', label: t('legendBelow', { value: m2(0.5) }) },
        ],
      },
      cellLegend(t('legendOutOfReach'), CELL_COLORS_OVER, i18n),
      {
        title: t('legendUnsuitableTitle'),
        entries: [{ color: UNSUITABLE, style: 'outline', label: t('legendUnsuitable', { m: n(run.body.bufferM) }) }],
      },
    ];
  },
  tables(run, _layers, i18n) {
    const { t } = i18n;
    const { code, town, population, persons } = townColumns(i18n);
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
  },
  chart(run, i18n) {
    const { t, n } = i18n;
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
  },
  summary(run, i18n) {
    const { t, n } = i18n;
    const failing = run.data.towns.filter((r) => !r.meetsStandard);
    const shortfall = run.data.towns.reduce((a, r) => a + r.shortfallPersons, 0);
    const out = run.data.towns.reduce((a, r) => a + r.populationOutOfReach, 0);
    const items = [
      ...run.data.unsuitable.map((u) => t('unsuitableItem', { name: u.name ?? u.id, id: u.near[0]?.id ?? '', m: n(u.near[0]?.distanceM ?? 0, 0) })),
      ...run.data.excluded.map((e) => `${e.name}: ${typeof e.reason === 'string' ? e.reason : noteText(e.reason, i18n)}`),
    ];
    return {
      lines: [
        t('summaryFailing', { failing: failing.length, total: run.data.towns.length, threshold: n(run.data.parameters.areaPerResidentM2) }),
        t('summaryShortfall', { persons: n(shortfall, 0) }),
        t('summaryOutOfReach', { persons: n(out, 0) }),
      ],
      details: items.length ? { title: t('sheltersNotCounted', { unsuitable: run.data.unsuitable.length, excluded: run.data.excluded.length }), items } : undefined,
      basis: { label: t('basis'), text: run.data.parameters.basis },
    };
  },
  geojson: (run, adminUnits) => ({
    features: [...tagFeatures('town', joinTowns(adminUnits, run.data.towns)), ...cellFeatures(run.data.uncovered)],
    parameters: { county: run.body.county, ...run.data.parameters, excluded: run.data.excluded, unsuitable: run.data.unsuitable },
  }),
};
