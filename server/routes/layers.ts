/** Layer and feature endpoints: the catalogue as the caller may see it, and its features. */
import { Router } from 'express';
import type { Feature, Geometry } from 'geojson';
import { findLayer, LAYERS, layersFor, layerView, projectProperties, type LayerDef, type Role } from '../../core/catalogue/index.js';
import { canEdit } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { countByLayer, getFeature, getVersionedFeature, layerVersions, memoOnLayers, queryFeatures, type Db, type Props } from '../store/index.js';
import { parseFeatureParams } from './feature-params.js';
import type { SendPage } from './feature-pages.js';

/** Resolves a layer id for a role: 404 when unknown, 401 when it needs a token the caller lacks. */
export function visibleLayer(id: string, role: Role): LayerDef {
  const layer = findLayer(id);
  if (!layer) throw notFound(`No layer "${id}". GET /api/layers lists the layers.`);
  if (!layersFor(role).includes(layer)) {
    throw new ApiError(401, 'unauthorized', `Layer "${id}" is internal: send "Authorization: Bearer <token>" with a commander or admin token.`);
  }
  return layer;
}

/** A feature with only the properties this role may see (other members, e.g. `version`, kept). */
export const project = <F extends Feature<Geometry, Props>>(layer: LayerDef, role: Role, f: F): F => ({
  ...f,
  properties: projectProperties(layer, role, f.properties ?? {}),
});

export function layerRoutes(db: Db, sendPage: SendPage): Router {
  const r = Router();
  // Kept counts and versions, read again only after a write (no query per call where the store trusts its versions).
  const kept = memoOnLayers(
    db,
    LAYERS.map((l) => l.id),
    async () => {
      const [counts, versions] = await Promise.all([countByLayer(db), layerVersions(db)]);
      return { counts, versions };
    },
  );
  // Read once now, so the first map's layer list does not queue behind its first tiles.
  kept().catch(() => undefined);

  r.get('/layers', async (req, res) => {
    const { counts, versions } = await kept();
    res.json({
      role: req.role,
      layers: layersFor(req.role)
        .sort((a, b) => a.order - b.order)
        // `version` changes with every write to the layer: clients put it in tile URLs (server/routes/tiles.ts).
        .map((l) => ({ ...layerView(l, req.role), count: counts[l.id] ?? 0, version: versions[l.id] ?? 0 })),
    });
  });

  r.get('/layers/:id', (req, res) => {
    res.json(layerView(visibleLayer(req.params.id, req.role), req.role));
  });

  r.get('/layers/:id/features', async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    // Editors get each feature's version, to send back with their edit.
    const versions = canEdit(req.role);
    const query = { ...parseFeatureParams(layer, req.role, req.query as Record<string, unknown>), versions };
    await sendPage(req, res, layer, query.bbox, async () => {
      const page = await queryFeatures(db, query);
      return { ...page, features: page.features.map((f) => project(layer, req.role, f)) };
    });
  });

  r.get('/layers/:id/features/:fid', async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    const feature = await (canEdit(req.role) ? getVersionedFeature : getFeature)(db, layer.id, req.params.fid);
    if (!feature) throw notFound(`No feature "${req.params.fid}" in layer "${layer.id}".`);
    res.type('application/geo+json').json(project(layer, req.role, feature));
  });

  return r;
}
