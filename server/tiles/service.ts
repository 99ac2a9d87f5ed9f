/**
 * One vector tile for a caller: the layer's fields that caller's role may see, its filters, from
 * the cache or built — by ST_AsMVT on PostgreSQL, by the JS encoder on embedded PGlite. The ETag
 * names the layer version, tile, fields and filters, so a revalidation costs one key lookup.
 */
import { createHash } from 'node:crypto';
import { fieldsFor, type LayerDef, type Role } from '../../core/catalogue/index.js';
import { layerVersion, mvtTile, tileRows, type Db, type FieldFilter, type TileSpec } from '../store/index.js';
import { TileCache } from './cache.js';
import { encodeTile } from './encode.js';
import type { TileId } from './grid.js';

export interface TileAnswer {
  etag: string;
  /** The encoded tile (not computed when the caller already holds this ETag). */
  tile(): Promise<{ tile: Uint8Array; cached: boolean }>;
}

export interface TileService {
  tile(layer: LayerDef, role: Role, id: TileId, filters: FieldFilter[]): Promise<TileAnswer>;
  readonly cache: TileCache;
}

/** Default bound of the tile cache (TILE_CACHE_MB). */
export const DEFAULT_CACHE_MB = 64;

/** Encodes a tile on this store: PostGIS's encoder where it has one, the JS encoder otherwise. */
export async function buildTile(db: Db, spec: TileSpec): Promise<Uint8Array> {
  return db.kind === 'postgres' ? mvtTile(db, spec) : encodeTile(spec.layer, spec.tile, await tileRows(db, spec));
}

export function tileService(db: Db, cacheMb = DEFAULT_CACHE_MB): TileService {
  const cache = new TileCache(cacheMb * 1024 * 1024);
  return {
    cache,
    async tile(layer, role, id, filters) {
      const keys = fieldsFor(layer, role).map((f) => f.name);
      const filterKey = filters.map((f) => `${f.field.name}=${[...f.values].sort().join(',')}`).sort();
      // The version is read before the tile: a write landing in between only makes this tile newer than its key.
      const version = await layerVersion(db, layer.id);
      const key = JSON.stringify([layer.id, version, id.z, id.x, id.y, keys, filterKey]);
      const etag = `"${createHash('sha1').update(key).digest('base64url').slice(0, 22)}"`;
      const spec: TileSpec = { layer: layer.id, geometry: layer.geometry, tile: id, keys, filters };
      return { etag, tile: () => cache.get(etag, () => buildTile(db, spec)) };
    },
  };
}
