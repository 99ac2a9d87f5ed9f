/**
 * The commander's incident view (incident/IncidentView.tsx) as a top-bar tool: its routes, the
 * incident and the closures go on the map as a map part, and while it places a point it takes
 * the map's clicks.
 */
import { useMemo, useState } from 'react';
import { PART_ORDER, useMapPart } from '../../frame/mapParts';
import { useOneMap } from '../../frame/oneMap';
import { IncidentView, type IncidentMapState } from '../../incident/IncidentView';

export default function IncidentTool() {
  const { map, areaCode } = useOneMap();
  const [state, setState] = useState<IncidentMapState>();
  useMapPart('incident', PART_ORDER.incident, useMemo(() => state && { decks: [state.deck], onPickPoint: state.onPickPoint }, [state]));
  return <IncidentView map={map} areaCode={areaCode} onMap={setState} />;
}
