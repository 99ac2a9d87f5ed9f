/**
 * Feature pages (GET /api/layers/:id/features and OGC API items) kept by ResponseCache under the
 * layer's version, the caller's role and the request, with an ETag: a repeat of a page costs no
 * SQL on embedded PGlite (server/store/layer-watch.ts) and one indexed read on PostgreSQL, an
 * If-None-Match holding the current tag a 304. A write to the layer gives every page of it a new
 * key at once, on every server — except a page for a bbox that no write since has touched, which
 * is served on under its tag. Bounded by FEATURE_CACHE_MB.
 */
import type { Request, Response } from 'express';
import type { LayerDef } from '../../core/catalogue/index.js';
import { contentCoding, etagOf, ResponseCache, revalidate, sendCached } from '../response-cache.js';
import type { Box, LayerWatch } from '../store/index.js';

export const GEOJSON = 'application/geo+json';

/** `box`: the request's bbox, when it has one (a page of the whole layer changes with any write). */
export type SendPage = (req: Request, res: Response, layer: LayerDef, box: Box | undefined, build: () => Promise<unknown>) => Promise<void>;

export function featurePages(watch: LayerWatch, cacheMb: number): SendPage & { cache: ResponseCache } {
  const cache = new ResponseCache(cacheMb * 1024 * 1024);
  const send: SendPage = async (req, res, layer, box, build) => {
    const current = await watch.version(layer.id);
    // Host and path are part of the key: OGC pages carry links made from them.
    const family = JSON.stringify([layer.id, req.role, req.get('host'), req.originalUrl]);
    const held = cache.latest(family);
    const version = held && watch.unchangedWithin(layer.id, held.version, current, box) ? held.version : current;
    const etag = etagOf(`${version} ${family}`);
    if (revalidate(req, res, etag)) return;
    const page = await cache.get(etag, async () => Buffer.from(JSON.stringify(await build())), contentCoding(req.get('accept-encoding')), { name: family, version });
    sendCached(res, etag, page, `${GEOJSON}; charset=utf-8`, 'X-Feature-Cache');
  };
  return Object.assign(send, { cache });
}
