/**
 * OGC API – Features, Part 1: Core, with GeoJSON — so QGIS, ArcGIS Pro and GDAL (OAPIF driver)
 * open our layers directly (`/api/ogc`). Same store queries, same access rules as /api/layers:
 * the public sees public collections and fields only; a bearer token unlocks the rest.
 */
import { Router, type Request } from 'express';
import { layersFor, type LayerDef } from '../../core/catalogue/index.js';
import { badRequest, notFound } from '../errors.js';
import { getFeature, layerExtents, queryFeatures, type Db } from '../store/index.js';
import { parseFeatureParams } from './feature-params.js';
import { GEOJSON, type SendPage } from './feature-pages.js';
import { project, visibleLayer } from './layers.js';

const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  // OGC API – Tiles (server/routes/tiles.ts): tilesets per collection, WebMercatorQuad, Mapbox Vector Tiles.
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt',
];
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

/** The request's own base URL, so that links work behind the host name the client used. */
const base = (req: Request): string => `${req.protocol}://${req.get('host')}${req.baseUrl}`;

/** OGC clients add `f=json`; `datetime` matches everything, as no layer has a temporal extent. */
const OGC_PARAMS = ['f', 'datetime'];

function checkFormat(req: Request): void {
  const f = req.query.f;
  if (f !== undefined && !['json', 'geojson'].includes(String(f))) {
    throw badRequest('f', `"f=${String(f)}" is not offered: this service answers JSON / GeoJSON only (f=json).`);
  }
}

function collection(layer: LayerDef, href: string, bbox?: [number, number, number, number]) {
  return {
    id: layer.id,
    title: layer.name.zh,
    description: `${layer.name.en} — ${layer.description.zh}`,
    itemType: 'feature',
    crs: [CRS84],
    extent: bbox ? { spatial: { bbox: [bbox], crs: CRS84 } } : undefined,
    links: [
      { href: `${href}/collections/${layer.id}`, rel: 'self', type: 'application/json', title: layer.name.zh },
      { href: `${href}/collections/${layer.id}/items`, rel: 'items', type: GEOJSON, title: layer.name.zh },
      { href: `${href}/collections/${layer.id}/tiles`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector', type: 'application/json', title: layer.name.zh },
    ],
  };
}

export function ogcRoutes(db: Db, sendPage: SendPage): Router {
  const r = Router();
  r.use((req, _res, next) => {
    checkFormat(req);
    next();
  });

  r.get('/', (req, res) => {
    const href = base(req);
    res.json({
      title: '应急一张图 Emergency OneMap',
      description: 'Emergency resources and hazards (OGC API – Features). Internal collections need a bearer token.',
      links: [
        { href, rel: 'self', type: 'application/json', title: 'this document' },
        { href: `${href}/conformance`, rel: 'conformance', type: 'application/json', title: 'conformance classes' },
        { href: `${href}/collections`, rel: 'data', type: 'application/json', title: 'collections' },
        { href: `${href}/tileMatrixSets`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes', type: 'application/json', title: 'tile matrix sets' },
      ],
    });
  });

  r.get('/conformance', (_req, res) => {
    res.json({ conformsTo: CONFORMANCE });
  });

  r.get('/collections', async (req, res) => {
    const href = base(req);
    const extents = await layerExtents(db);
    res.json({
      links: [{ href: `${href}/collections`, rel: 'self', type: 'application/json' }],
      collections: layersFor(req.role)
        .sort((a, b) => a.order - b.order)
        .map((l) => collection(l, href, extents[l.id])),
    });
  });

  r.get('/collections/:id', async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    res.json(collection(layer, base(req), (await layerExtents(db))[layer.id]));
  });

  r.get('/collections/:id/items', async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    const query = parseFeatureParams(layer, req.role, req.query as Record<string, unknown>, OGC_PARAMS);
    await sendPage(req, res, layer, query.bbox, async () => {
      const page = await queryFeatures(db, query);
      const items = `${base(req)}/collections/${layer.id}/items`;
      const at = (offset: number): string => {
        const params = new URLSearchParams(req.query as Record<string, string>);
        params.set('offset', String(offset));
        params.set('limit', String(query.limit));
        return `${items}?${params}`;
      };
      const links = [{ href: at(query.offset), rel: 'self', type: GEOJSON }];
      if (query.offset + page.numberReturned < page.numberMatched) links.push({ href: at(query.offset + query.limit), rel: 'next', type: GEOJSON });
      if (query.offset > 0) links.push({ href: at(Math.max(0, query.offset - query.limit)), rel: 'prev', type: GEOJSON });
      // A kept page's timeStamp is when its features were read.
      return { ...page, features: page.features.map((f) => project(layer, req.role, f)), timeStamp: new Date().toISOString(), links };
    });
  });

  r.get('/collections/:id/items/:fid', async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    const feature = await getFeature(db, layer.id, req.params.fid);
    if (!feature) throw notFound(`No feature "${req.params.fid}" in collection "${layer.id}".`);
    const href = `${base(req)}/collections/${layer.id}`;
    res.type(GEOJSON).json({
      ...project(layer, req.role, feature),
      links: [
        { href: `${href}/items/${encodeURIComponent(req.params.fid)}`, rel: 'self', type: GEOJSON },
        { href, rel: 'collection', type: 'application/json' },
      ],
    });
  });

  return r;
}
