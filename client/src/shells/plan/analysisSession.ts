/**
 * The analysis session: the forms' drafts, the run (api/analysis.ts useAnalysisRun, with a siting
 * answer's what-if), picking origins or sites on the map, and what the run draws: its deck.gl
 * layers, the drafted isochrone origins, a siting answer's draggable sites.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { DEFAULT_DRAFTS, draftLayers, isPublicKind, markerHandlers, offeredKind, pickPoint, runBbox, runLayers, runMarkers, type AnalysisDrafts, type AnalysisRun } from '../../analyses/registry';
import { useAnalysisRun } from '../../api/analysis';
import { PART_ORDER, useMapPart } from '../../frame/mapParts';
import { useOneMap } from '../../frame/oneMap';
import type { LonLat } from '../../frame/selection';
import { useI18n } from '../../i18n';
import { fitBbox } from '../../map/camera';
import { syncSiteMarkers, type SiteHandlers } from '../../map/siteMarkers';

export function useAnalysisSession() {
  const i18n = useI18n();
  const { t } = i18n;
  const { map, areas, token, role, adminUnits, panel } = useOneMap();
  const [drafts, setDrafts] = useState<AnalysisDrafts>(DEFAULT_DRAFTS);
  const [picking, setPicking] = useState(false);
  const analysis = useAnalysisRun();
  const { run, solved, session, clear } = analysis;

  // A result read from internal layers does not stay on screen once the commander signs out.
  useEffect(() => {
    if (!token && run && !isPublicKind(run.kind)) clear();
  }, [token, run, clear]);

  const fitRun = useCallback(
    (r: AnalysisRun) => {
      if (!map) return;
      const bbox = runBbox(r, areas);
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
  // Stable across renders (the what-if session is a new object each render): a new click taker
  // would republish the map part, which re-renders this tool.
  const latest = useRef({ drafts, run, session });
  latest.current = { drafts, run, session };
  const onPickPoint = useCallback((p: LonLat) => {
    const { drafts: d, run: r, session: w } = latest.current;
    setDrafts(pickPoint(d, r, w, p));
    setPicking(false);
  }, []);

  const runDeck = useMemo(() => run && runLayers(run, adminUnits, i18n), [run, adminUnits, i18n]);
  useMapPart('analysis-run', PART_ORDER.analysisRun, useMemo(() => runDeck && { decks: [runDeck] }, [runDeck]));
  const draftDeck = useMemo(() => (panel.tab === 'analysis' ? draftLayers(drafts, offeredKind(drafts.kind, role)) : undefined), [panel.tab, drafts, role]);
  useMapPart(
    'analysis-origins',
    PART_ORDER.analysisOrigins,
    useMemo(() => ({ decks: draftDeck ? [draftDeck] : [], onPickPoint: picking ? onPickPoint : undefined }), [draftDeck, picking, onPickPoint]),
  );

  // A run's draggable markers (siting's sites) are MapLibre markers: dragged to move, right-clicked to remove.
  const sites = useMemo(() => runMarkers(run, session), [run, session]);
  const handlers = useRef<SiteHandlers | undefined>(undefined);
  const moves = markerHandlers(run, session);
  handlers.current = moves && { ...moves, title: t('siteMarkerHint') };
  const markers = useRef(new Map<string, maplibregl.Marker>());
  useEffect(() => {
    if (map) syncSiteMarkers(map, markers.current, sites, () => handlers.current);
  }, [map, sites]);

  return { drafts, setDrafts, picking, setPicking, analysis, fitRun };
}
