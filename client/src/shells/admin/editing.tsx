/**
 * The editing tools, one chunk loaded for commanders and admins only: the edit session that goes
 * through the map (moving, reshaping, drawing, placing) and the detail panel's edit actions.
 */
import { useEffect, useMemo } from 'react';
import { EditSession } from '../../edit/EditSession';
import { useEditOnMap } from '../../edit/editOnMap';
import { useEditSession } from '../../edit/useEditSession';
import { PART_ORDER, useMapPart } from '../../frame/mapParts';
import { useOneMap } from '../../frame/oneMap';

export { FeatureEditor } from '../../edit/FeatureEditing';

export function EditingSession() {
  const { map, layers, areas, staff, selection, publishEdit } = useOneMap();
  const session = useEditSession(staff);
  useEditOnMap(map, session);
  const { onPickPoint, startMove, startCreate } = session;
  useMapPart('edit', PART_ORDER.edit, useMemo(() => (onPickPoint ? { onPickPoint } : undefined), [onPickPoint]));
  useEffect(() => publishEdit({ startMove, startCreate }), [publishEdit, startMove, startCreate]);
  useEffect(() => () => publishEdit(undefined), [publishEdit]);
  return <EditSession session={session} layers={layers} areas={areas} onSelect={(layer, f) => selection.select({ layerId: layer.id, fid: f.id })} />;
}
