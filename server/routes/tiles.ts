/**
 * Vector tiles of every layer (issue 15), with the role rules of the feature endpoints: the public
 * gets public layers with public fields; internal layers answer 401 without a token.
 *   GET /api/tiles/:layer                     TileJSON 3.0.0 (MapLibre, QGIS "Vector Tiles" connections)
 *   GET /api/tiles/:layer/:z/:x/:y.mvt        the tile (XYZ order)
 *   GET /api/tiles/:layer/count[?bbox=…]      how many features match, in all or in a box (the layer
 *       panel's counts), from kept counts: the features endpoint's numberMatched without its features
 *   GET /api/ogc/tileMatrixSets[/WebMercatorQuad]
 *   GET /api/ogc/collections/:id/tiles[/WebMercatorQuad[/:z/:y/:x]]   OGC API – Tiles 1.0 (OGC 20-057):
 *       tilesets, tileset and tile; tileMatrix/tileRow/tileCol order as that standard writes it.
 * Layer filters (`county_code=…`, enum fields) are query parameters as on /features. A tile carries
 * an ETag (If-None-Match → 304); an empty tile is 204, as OGC API – Tiles permits.
 */
import { Router, type Request, type Response } from 'express';
import { fieldsFor, type LayerDef } from '../../core/catalogue/index.js';
import { ApiError, badRequest } from '../errors.js';
import { contentCoding, revalidate, sendCached, tagFor } from '../response-cache.js';
import { CLUSTER_BELOW, COUNT, countFeatures, FID, layerExtents, type Db, type FieldFilter } from '../store/index.js';
import { MAX_ZOOM, TMS_ID, TMS_URI, tileMatrixSet, type TileId } from '../tiles/grid.js';
import type { TileService } from '../tiles/service.js';
import { parseFeatureParams } from './feature-params.js';
import { visibleLayer } from './layers.js';

export const MVT = 'application/vnd.mapbox-vector-tile';
/** Beyond this zoom clients overzoom the last tile (4096 units at z16 ≈ 15 cm at the equator). */
const TILE_MAX_ZOOM = 16;

const base = (req: Request): string => `${req.protocol}://${req.get('host')}`;

/** A tile's z/x/y: malformed → 400 naming the part; outside the tile matrix → 404. */
function tileId(params: Record<string, string>): TileId {
  const out = { z: 0, x: 0, y: 0 };
  for (const k of ['z', 'x', 'y'] as const) {
    if (!/^\d{1,9}$/.test(params[k] ?? '')) throw badRequest(k, `Tile ${k} must be a whole number, got "${params[k]}".`);
    out[k] = Number(params[k]);
  }
  if (out.z > MAX_ZOOM) throw new ApiError(404, 'not_found', `No tile matrix ${out.z} in ${TMS_ID}: zoom runs 0…${MAX_ZOOM}.`);
  const n = 2 ** out.z;
  if (out.x >= n || out.y >= n) throw new ApiError(404, 'not_found', `No tile ${out.z}/${out.x}/${out.y}: at zoom ${out.z} x and y run 0…${n - 1}.`);
  return out;
}

/** The layer's filters from the query; paging, bbox and search belong to /features, not to tiles. */
function tileFilters(layer: LayerDef, req: Request): { filters: FieldFilter[]; query: string } {
  const query = req.query as Record<string, unknown>;
  for (const name of ['bbox', 'q', 'limit', 'offset']) {
    if (name in query) throw badRequest(name, `"${name}" does not apply to tiles; filter by field (e.g. county_code=…) or use /features.`);
  }
  const f = query.f;
  if (f !== undefined && !['mvt', 'json', 'tilejson'].includes(String(f))) throw badRequest('f', `"f=${String(f)}" is not offered here: tiles are f=mvt, metadata f=json.`);
  // `v`: the layer version a client puts in its URLs (GET /api/layers) so an edit gives new URLs; not a filter.
  const filters = parseFeatureParams(layer, req.role, query, ['f', 'v']).filters ?? [];
  const params = new URLSearchParams(filters.map((x) => [x.field.name, x.values.join(',')]));
  return { filters, query: filters.length ? `?${params}` : '' };
}

async function sendTile(service: TileService, req: Request, res: Response, layer: LayerDef, id: TileId, filters: FieldFilter[]) {
  const answer = await service.tile(layer, req.role, id, filters, req.get('if-none-match') !== undefined);
  if (revalidate(req, res, answer.etag)) return;
  const tile = await answer.tile(contentCoding(req.get('accept-encoding')));
  if (tile.raw.byteLength === 0) {
    res.set('ETag', tagFor(answer.etag, tile.encoding));
    res.set('X-Tile-Cache', tile.cached ? 'hit' : 'miss');
    res.status(204).end();
    return;
  }
  sendCached(res, answer.etag, tile, MVT, 'X-Tile-Cache');
}

/** The layer's fields as TileJSON `vector_layers` lists them (type names as MapLibre's inspector shows). */
function vectorLayer(layer: LayerDef, req: Request) {
  const fields: Record<string, string> = { [FID]: 'String' };
  for (const f of fieldsFor(layer, req.role)) fields[f.name] = f.type === 'integer' || f.type === 'number' ? 'Number' : 'String';
  if (layer.geometry === 'Point') fields[COUNT] = `Number (points in a grid cell below zoom ${CLUSTER_BELOW})`;
  return { id: layer.id, description: layer.name.en, minzoom: 0, maxzoom: TILE_MAX_ZOOM, fields };
}

async function tileJson(db: Db, req: Request, layer: LayerDef, template: string) {
  const extent = (await layerExtents(db))[layer.id];
  return {
    tilejson: '3.0.0',
    name: layer.name.zh,
    description: `${layer.name.en} — ${layer.description.zh}`,
    attribution: '应急一张图 Emergency OneMap',
    scheme: 'xyz',
    tiles: [template],
    minzoom: 0,
    maxzoom: TILE_MAX_ZOOM,
    bounds: extent ?? [-180, -85.0511287798066, 180, 85.0511287798066],
    vector_layers: [vectorLayer(layer, req)],
  };
}

export function tileRoutes(db: Db, service: TileService): Router {
  const r = Router();
  r.get('/tiles/:layer', async (req, res) => {
    const layer = visibleLayer(req.params.layer, req.role);
    const { query } = tileFilters(layer, req);
    res.json(await tileJson(db, req, layer, `${base(req)}/api/tiles/${layer.id}/{z}/{x}/{y}.mvt${query}`));
  });
  r.get('/tiles/:layer/count', async (req, res) => {
    const layer = visibleLayer(req.params.layer, req.role);
    const query = req.query as Record<string, unknown>;
    for (const name of ['q', 'limit', 'offset']) {
      if (name in query) throw badRequest(name, `"${name}" does not apply to a count; give bbox and field filters (e.g. county_code=…).`);
    }
    const { bbox, filters } = parseFeatureParams(layer, req.role, query, ['v']);
    res.json({ numberMatched: await countFeatures(db, layer.id, layer.geometry, bbox, filters ?? []) });
  });
  r.get('/tiles/:layer/:z/:x/:y.mvt', async (req, res) => {
    const layer = visibleLayer(req.params.layer, req.role);
    await sendTile(service, req, res, layer, tileId(req.params), tileFilters(layer, req).filters);
  });
  return r;
}

/** OGC API – Tiles (OGC 20-057) on the OGC API – Features collections: mounted at /api/ogc before them. */
export function ogcTileRoutes(db: Db, service: TileService): Router {
  const r = Router();
  const ogc = (req: Request) => `${base(req)}/api/ogc`;
  const tmsLink = (req: Request) => ({ href: `${ogc(req)}/tileMatrixSets/${TMS_ID}`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme', type: 'application/json' });

  r.get('/tileMatrixSets', (req, res) => {
    res.json({ tileMatrixSets: [{ id: TMS_ID, title: 'Google Maps Compatible for the World', uri: TMS_URI, links: [{ ...tmsLink(req), rel: 'self' }] }] });
  });
  r.get(`/tileMatrixSets/${TMS_ID}`, (_req, res) => {
    res.json(tileMatrixSet());
  });

  const tileset = (req: Request, layer: LayerDef, query: string) => {
    const href = `${ogc(req)}/collections/${layer.id}/tiles/${TMS_ID}`;
    return {
      title: layer.name.zh,
      dataType: 'vector',
      crs: 'http://www.opengis.net/def/crs/EPSG/0/3857',
      tileMatrixSetURI: TMS_URI,
      links: [
        { href, rel: 'self', type: 'application/json' },
        tmsLink(req),
        { href: `${href}/{tileMatrix}/{tileRow}/{tileCol}${query}`, rel: 'item', type: MVT, templated: true },
      ],
    };
  };

  r.get('/collections/:id/tiles', (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    const { query } = tileFilters(layer, req);
    res.json({ tilesets: [tileset(req, layer, query)], links: [{ href: `${ogc(req)}/collections/${layer.id}/tiles`, rel: 'self', type: 'application/json' }] });
  });
  r.get(`/collections/:id/tiles/${TMS_ID}`, async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    const { query } = tileFilters(layer, req);
    const href = `${ogc(req)}/collections/${layer.id}/tiles/${TMS_ID}/{z}/{y}/{x}${query}`;
    // The OGC tileset document, with TileJSON's members so MapLibre can read the same URL.
    res.json({ ...(await tileJson(db, req, layer, href)), ...tileset(req, layer, query), layers: [{ id: layer.id, dataType: 'vector', geometryType: layer.geometry.toLowerCase() }] });
  });
  r.get(`/collections/:id/tiles/${TMS_ID}/:z/:y/:x`, async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    await sendTile(service, req, res, layer, tileId(req.params), tileFilters(layer, req).filters);
  });
  return r;
}
