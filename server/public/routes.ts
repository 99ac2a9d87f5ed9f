/**
 * The public data for the shelter finder, at the same URLs as a static publication
 * (`npm run publish-public`): `/shelters/data/manifest.json` (revalidated on every use, ETag → 304)
 * and `/shelters/data/packs/<county>-<version>.pack` (immutable: a new version is a new URL).
 * Built on first use and kept in memory with its compressed variants; rebuilt when a feature of
 * the packs' layers changes (server/store/layer-memo.ts), behind the requests: the hot path serves
 * the last build and never waits for the store.
 */
import { Router } from 'express';
import { notFound } from '../errors.js';
import { memoOnLayers, type Db } from '../store/index.js';
import { IMMUTABLE, precompress, REVALIDATE, sendResource, typeOf, type Resource } from '../static.js';
import { buildPublicData, PACK_LAYERS, type PublicData } from './packs.js';

export interface ServedPublicData {
  data: PublicData;
  manifest: Resource;
  /** By file name, "500105-<version>.pack". */
  packs: Map<string, Resource>;
  /**
   * The build before this one's packs: a phone that read the manifest just before a rebuild still
   * gets the pack it names (one generation is kept, so memory stays bounded).
   */
  previous: Map<string, Resource>;
}

const served = new WeakMap<Db, () => Promise<ServedPublicData>>();

/** The current packs and manifest of a store, compressed, built once per change of its layers. */
export function publicData(db: Db): () => Promise<ServedPublicData> {
  let get = served.get(db);
  if (!get) {
    let last = new Map<string, Resource>();
    get = memoOnLayers(
      db,
      PACK_LAYERS,
      async (asOf) => {
        const data = await buildPublicData(db, asOf);
        const manifest = await precompress(Buffer.from(JSON.stringify(data.manifest)), typeOf('manifest.json'));
        const packs = new Map<string, Resource>();
        for (const p of data.packs) packs.set(p.file, await precompress(Buffer.from(p.bytes), typeOf(p.file)));
        const previous = last;
        last = packs;
        return { data, manifest, packs, previous };
      },
      { stale: true },
    );
    served.set(db, get);
  }
  return get;
}

export function publicRoutes(db: Db): Router {
  const r = Router();
  const current = publicData(db);

  r.get('/shelters/data/manifest.json', async (req, res) => {
    sendResource(req, res, (await current()).manifest, REVALIDATE);
  });

  r.get('/shelters/data/packs/:file', async (req, res) => {
    const { packs, previous } = await current();
    const pack = packs.get(req.params.file) ?? previous.get(req.params.file);
    if (!pack) {
      throw notFound(`No pack "${req.params.file}": the data has changed since the manifest was read. Fetch ./data/manifest.json again for the current pack URLs.`);
    }
    sendResource(req, res, pack, IMMUTABLE);
  });

  r.use('/shelters/data', (req) => {
    throw notFound(`No public data file ${req.path}. The public data is ./data/manifest.json and the packs it lists.`);
  });

  return r;
}
