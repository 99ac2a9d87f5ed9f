/** The import wizard in the top bar (and a file dropped anywhere), its preview drawn on the map. */
import { useMemo, useState } from 'react';
import { useOneMap } from '../../frame/oneMap';
import { PART_ORDER, useMapPart } from '../../frame/mapParts';
import { Importer } from '../../import/Importer';
import type { AnalysisDeck } from '../../map/analysisLayers';

export default function ImportTool() {
  const { layers, map } = useOneMap();
  const [preview, setPreview] = useState<AnalysisDeck>();
  useMapPart('import-preview', PART_ORDER.importPreview, useMemo(() => preview && { decks: [preview] }, [preview]));
  return <Importer layers={layers} map={map} onPreview={setPreview} />;
}
