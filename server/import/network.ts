/**
 * What a road-network import adds to the import: the connectivity rule (asked for, or detected —
 * OSM tags in the columns or an OSM file mean `osm`, anything else is a vendor or GIS network
 * joined at end points), and the pieces the imported network falls into under that rule.
 */
import { COUNTY_FIELD, layerWithRole, type LayerDef } from '../../core/catalogue/index.js';
import { components, summarize } from '../../core/network/components.js';
import { buildGraph, DEFAULT_CONNECTIVITY, OSM_TAGS, type Connectivity } from '../../core/network/graph.js';
import type { NetworkImportReport } from '../../core/import-report.js';
import { queryFeatures, roadConnectivity, setRoadConnectivity, type Db } from '../store/index.js';

export const isNetworkLayer = (layer: LayerDef): boolean => layer.id === layerWithRole('network').id;

/** Columns that only OSM data carries beside `highway` (https://wiki.openstreetmap.org/wiki/Key:highway). */
const OSM_COLUMNS = [OSM_TAGS.oneway, OSM_TAGS.speed, OSM_TAGS.layer, OSM_TAGS.bridge, OSM_TAGS.tunnel, 'osm_id'];

/** `osm` for an OSM file or OSM-tagged columns (`highway` with one of the OSM tags), else `endpoints`. */
export function detectConnectivity(columns: string[], format: string): Connectivity {
  if (/osm|pbf/i.test(format)) return 'osm';
  const lower = new Set(columns.map((c) => c.toLowerCase()));
  return lower.has(OSM_TAGS.class) && OSM_COLUMNS.some((c) => lower.has(c)) ? 'osm' : 'endpoints';
}

/**
 * Stores the rule `chosen` for the counties the import wrote (`counties`, '' for roads without a
 * county code → the layer-wide rule; absent: the stored rule stays, and the first county's is
 * used) and measures the pieces of those counties' roads, as written. Runs in the import's
 * transaction: a dry run measures the same and keeps nothing.
 */
export async function settleNetwork(
  tx: Db,
  layer: LayerDef,
  counties: string[],
  chosen: Connectivity | undefined,
  from: 'request' | 'detected',
  anyCounty: string,
): Promise<NetworkImportReport> {
  let connectivity: Connectivity;
  if (chosen) {
    connectivity = chosen;
    await setRoadConnectivity(tx, counties.map((c) => c || anyCounty), chosen);
  } else {
    const rules = await roadConnectivity(tx);
    connectivity = rules[counties[0] || anyCounty] ?? rules[anyCounty] ?? DEFAULT_CONNECTIVITY;
  }
  const county = layer.fields.find((f) => f.name === COUNTY_FIELD);
  const coded = counties.filter((c) => c !== '');
  const page = await queryFeatures(tx, {
    layer: layer.id,
    ...(county && coded.length === counties.length ? { filters: [{ field: county, values: coded }] } : {}),
    offset: 0,
    limit: Number.MAX_SAFE_INTEGER,
  });
  const graph = buildGraph(page.features, { connectivity });
  return { connectivity, connectivityFrom: chosen ? from : 'stored', counties: [...counties].sort(), links: graph.linkCount, ...summarize(components(graph)) };
}
