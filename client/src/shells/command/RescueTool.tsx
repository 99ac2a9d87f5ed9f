/**
 * The 1小时救援圈 of a selected fire station or rescue team, in its detail panel and on the map
 * (analyses/isochrone/rescue.ts: useRescueCircle, RESCUE_BASE_LAYERS).
 */
import { useMemo } from 'react';
import { isochroneBbox, isochroneLayers } from '../../analyses/isochrone/layers';
import { RESCUE_BASE_LAYERS, useRescueCircle } from '../../analyses/isochrone/rescue';
import { PART_ORDER, useMapPart } from '../../frame/mapParts';
import { useOneMap } from '../../frame/oneMap';
import { useI18n } from '../../i18n';
import { fitBbox } from '../../map/camera';
import { RescueCircle } from '../../panels/RescueCircle';

export default function RescueTool() {
  const i18n = useI18n();
  const { map, selection } = useOneMap();
  const base = selection.selection && RESCUE_BASE_LAYERS.includes(selection.selection.layerId);
  const origin = base ? selection.position : undefined;
  const rescue = useRescueCircle(origin);
  const deck = useMemo(() => (rescue.data && origin ? isochroneLayers('rescue-circle', rescue.data, [origin], i18n) : undefined), [rescue.data, origin, i18n]);
  useMapPart('rescue-circle', PART_ORDER.rescueCircle, useMemo(() => deck && { decks: [deck] }, [deck]));
  if (!origin) return null;
  return (
    <RescueCircle
      circle={rescue}
      onFit={() => {
        const bbox = rescue.data && isochroneBbox(rescue.data);
        if (map && bbox) fitBbox(map, bbox, true, true);
      }}
    />
  );
}
