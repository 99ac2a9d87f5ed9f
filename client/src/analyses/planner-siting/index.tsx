/**
 * Planner siting in the client: the goal in plain words, the proposed sites as draggable markers
 * (siteMarkers.ts) over the towns coloured by the share covered, the what-if, before/after maps
 * and the report (SitingPlanner.tsx), the saved scenarios of the county (Scenarios.tsx).
 */
import type { PlannerSitingAnswer } from '../../../../core/analysis/planner-siting/plan';
import { PLANNER_SITING } from '../../../../core/analysis/planner-siting/request';
import { tagFeatures } from '../../export';
import { coverageColor, joinTowns, townLayer } from '../../map/analysisLayers';
import { siteMarkers } from '../../map/siteMarkers';
import type { ClientAnalysis } from '../types';
import { defaultSitingDraft, sitingBody, type SitingBody, type SitingDraft } from './goals';
import { Scenarios } from './Scenarios';
import { SitingPlanner } from './SitingPlanner';
import { useSitingPlan, type SitingPlan } from './usePlan';
import { DRAW_LIMIT, excludedLayer, SitingForm, sitingChart, sitingLegend, sitingSummary, sitingTables } from './view';

export const plannerSiting: ClientAnalysis<'siting', SitingBody, PlannerSitingAnswer, SitingDraft> = {
  definition: PLANNER_SITING,
  name: 'kindSiting',
  hint: 'kindSitingHint',
  perCounty: true,
  params: {
    p: 'paramNewSites',
    threshold: 'paramThreshold',
    urbanDriveMinutes: 'paramUrbanDrive',
    ruralDriveMinutes: 'paramRuralDrive',
    urbanTowns: 'fireUrbanTowns',
    coverageTarget: 'paramCoverageTarget',
    mode: 'paramMode',
  },
  defaultDraft: defaultSitingDraft(),
  Form: SitingForm,
  request: (draft, county) => ({ body: sitingBody(draft, county) }),
  // The sites themselves are markers (siteMarkers.ts): the towns by the share covered with them,
  // and the candidates hazards ruled out.
  layers: (run, adminUnits) => ({
    under: [townLayer(adminUnits, run.data.towns, (r) => coverageColor(r.coveredAfter, r.population))],
    over: [],
    top: run.data.excluded?.length ? [excludedLayer(run.data.excluded)] : [],
  }),
  legend: (_run, i18n) => sitingLegend(i18n),
  tables: sitingTables,
  chart: sitingChart,
  summary: sitingSummary,
  geojson(run, adminUnits) {
    const d = run.data;
    return {
      features: [
        ...tagFeatures(
          'site',
          d.chosen.map((c) => ({ type: 'Feature' as const, properties: c, geometry: { type: 'Point' as const, coordinates: [c.lon, c.lat] } })),
        ),
        ...tagFeatures('town', joinTowns(adminUnits, d.towns)),
      ],
      parameters: { ...d.parameters, status: d.status, gap: d.gap, objective: d.objective, objectiveMeaning: d.objectiveMeaning, before: d.before, after: d.after, notes: d.notes, excluded: d.excluded },
    };
  },
  Results: SitingPlanner,
  WithForm: Scenarios,
  useSession: useSitingPlan,
  // More than DRAW_LIMIT sites (an LSCP answer can hold hundreds) are drawn once the planner says so.
  markers: (run, session) => {
    const plan = session as SitingPlan;
    const all = siteMarkers(run.data, plan.sites, plan.numbers);
    return all.length > DRAW_LIMIT && !plan.drawAll ? all.sort((a, b) => Number(a.label) - Number(b.label)).slice(0, DRAW_LIMIT) : all;
  },
  markerHandlers: (session) => ({ move: (session as SitingPlan).move, remove: (session as SitingPlan).remove }),
  pickOnResult: (session, point) => (session as SitingPlan).add(point),
  rowAction: (tableId, session, { t }) =>
    tableId === 'sites' ? { label: '×', title: t('removeSite'), run: (row) => (session as SitingPlan).remove(row.id) } : undefined,
};
