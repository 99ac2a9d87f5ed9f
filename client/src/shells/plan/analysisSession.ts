/**
 * The analysis session: the forms' drafts, the run (api/analysis.ts useAnalysisRun, with a siting
 * answer's what-if), picking origins or sites on the map, and what the run draws: its deck.gl
 * layers, the drafted isochrone origins, a siting answer's draggable sites.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { DEFAULT_DRAFTS, isPublicKind, offeredKind, useAnalysisRun, type AnalysisDrafts, type AnalysisRun } from '../../api/analysis';
import { PART_ORDER, useMapPart } from '../../frame/mapParts';
import { useOneMap } from '../../frame/oneMap';
import type { LonLat } from '../../frame/selection';
import { useI18n } from '../../i18n';
import { analysisLayers, isochroneBbox, originMarkers } from '../../map/analysisLayers';
import { fitBbox } from '../../map/camera';
import { siteMarkers, syncSiteMarkers } from '../../map/siteMarkers';

export function useAnalysisSession() {
  const i18n = useI18n();
  const { t } = i18n;
  const { map, areas, token, role, adminUnits, panel } = useOneMap();
  const [drafts, setDrafts] = useState<AnalysisDrafts>(DEFAULT_DRAFTS);
  const [picking, setPicking] = useState(false);
  const analysis = useAnalysisRun();
  const { run, solved, plan, clear } = analysis;

  // A result read from internal layers does not stay on screen once the commander signs out.
  useEffect(() => {
    if (!token && run && !isPublicKind(run.kind)) clear();
  }, [token, run, clear]);

  const fitRun = useCallback(
    (r: AnalysisRun) => {
      if (!map) return;
      const bbox = r.kind === 'isochrone' ? isochroneBbox(r.data) : areas.find((a) => a.code === r.body.county)?.bbox;
      if (bbox) fitBbox(map, bbox);
    },
    [map, areas],
  );
  // A new result is shown whole; a what-if on it keeps the planner's view.
  const fitted = useRef<AnalysisRun | undefined>(undefined);
  useEffect(() => {
    if (solved && fitted.current !== solved) {
      fitted.current = solved;
      fitRun(solved);
    }
  }, [solved, fitRun]);

  // Picking an origin ends when the analysis tab is left.
  useEffect(() => {
    if (panel.tab !== 'analysis' || !panel.open) setPicking(false);
  }, [panel.tab, panel.open]);
  // A click while picking adds an isochrone origin, or on a siting result a site placed by hand (what-if).
  const addSite = plan.add;
  const onPickPoint = useCallback(
    (p: LonLat) => {
      if (run?.kind === 'siting' && drafts.kind === 'siting') addSite(p);
      else setDrafts((d) => ({ ...d, isochrone: { ...d.isochrone, origins: [...d.isochrone.origins, p] } }));
      setPicking(false);
    },
    [run, drafts.kind, addSite],
  );

  const runDeck = useMemo(() => run && analysisLayers(run, adminUnits, i18n), [run, adminUnits, i18n]);
  useMapPart('analysis-run', PART_ORDER.analysisRun, useMemo(() => runDeck && { decks: [runDeck] }, [runDeck]));
  const origins = panel.tab === 'analysis' && offeredKind(drafts.kind, role) === 'isochrone' ? drafts.isochrone.origins : undefined;
  useMapPart(
    'analysis-origins',
    PART_ORDER.analysisOrigins,
    useMemo(() => ({ decks: origins?.length ? [originMarkers(origins)] : [], onPickPoint: picking ? onPickPoint : undefined }), [origins, picking, onPickPoint]),
  );

  // A siting answer's sites are MapLibre markers: dragged to move a site, right-clicked to remove it.
  const sites = useMemo(() => (run?.kind === 'siting' ? siteMarkers(run.data, plan.sites) : undefined), [run, plan.sites]);
  const handlers = useRef({ move: plan.move, remove: plan.remove, title: t('siteMarkerHint') });
  handlers.current = { move: plan.move, remove: plan.remove, title: t('siteMarkerHint') };
  const markers = useRef(new Map<string, maplibregl.Marker>());
  useEffect(() => {
    if (map) syncSiteMarkers(map, markers.current, sites, () => handlers.current);
  }, [map, sites]);

  return { drafts, setDrafts, picking, setPicking, analysis, fitRun };
}
