/**
 * One vector tile for a caller: the layer's fields that caller's role may see, its filters, from
 * the cache or built — by ST_AsMVT on PostgreSQL, by the JS encoder on embedded PGlite. The ETag
 * names the layer version, tile, fields and filters, so a revalidation costs one key lookup. A tile
 * that is probably not cached (not under the layer's last-read version) is built with its version
 * in one statement; a kept tile is served under the current version (server/store/layer-watch.ts:
 * on embedded PGlite known without a query, on PostgreSQL read), or under the version it was
 * built at when no write since touched the buffered tile (its ETag then stays the same).
 */
import { fieldsFor, type LayerDef, type Role } from '../../core/catalogue/index.js';
import { DEFAULT_CACHE_MB, etagOf, ResponseCache, type CachedBody, type ContentCoding } from '../response-cache.js';
import { layerVersion, mvtTile, tileRows, watchLayers, type Db, type FieldFilter, type LayerWatch, type TileSpec } from '../store/index.js';
import { encodeTile } from './encode.js';
import { BUFFER, tileBounds, type TileId } from './grid.js';

export interface TileAnswer {
  etag: string;
  /** The encoded tile in a content coding (not computed when the caller already holds this ETag). */
  tile(encoding?: ContentCoding): Promise<CachedBody>;
}

export interface TileService {
  /**
   * `revalidating`: the caller sent If-None-Match, so the ETag is needed before any build. Otherwise a
   * tile that is probably not cached is built and its layer version read in one statement.
   */
  tile(layer: LayerDef, role: Role, id: TileId, filters: FieldFilter[], revalidating?: boolean): Promise<TileAnswer>;
  readonly cache: ResponseCache;
}

/** Encodes a tile on this store, with the layer version it was built at. */
export async function buildVersionedTile(db: Db, spec: TileSpec): Promise<{ tile: Uint8Array; version: number }> {
  if (db.kind === 'postgres') return mvtTile(db, spec);
  // PGlite is in this process: a second query costs no network round trip. Version first, so the tile is never older than its key.
  const version = await layerVersion(db, spec.layer);
  return { tile: encodeTile(spec.layer, spec.tile, await tileRows(db, spec)), version };
}

/** Encodes a tile on this store: PostGIS's encoder where it has one, the JS encoder otherwise. */
export async function buildTile(db: Db, spec: TileSpec): Promise<Uint8Array> {
  return (await buildVersionedTile(db, spec)).tile;
}

export function tileService(db: Db, cacheMb = DEFAULT_CACHE_MB, watch: LayerWatch = watchLayers(db)): TileService {
  const cache = new ResponseCache(cacheMb * 1024 * 1024);
  /** The last version read of each layer: a guess of the current one (never trusted for a cache hit). */
  const lastVersion = new Map<string, number>();
  /** Speculative builds in progress, by the key they guess: concurrent requests share one. */
  const building = new Map<string, Promise<{ tile: Uint8Array; version: number }>>();
  return {
    cache,
    async tile(layer, role, id, filters, revalidating = false) {
      const keys = fieldsFor(layer, role).map((f) => f.name);
      const filterKey = filters.map((f) => `${f.field.name}=${[...f.values].sort().join(',')}`).sort();
      // The tile whatever the version; an answer is the family at a version, and its ETag names both.
      const family = JSON.stringify([layer.id, id.z, id.x, id.y, keys, filterKey]);
      const etagAt = (version: number) => etagOf(`${version} ${family}`);
      const spec: TileSpec = { layer: layer.id, geometry: layer.geometry, tile: id, keys, filters };
      const build = async () => (await buildVersionedTile(db, spec)).tile;
      const answer = (version: number, make = build): TileAnswer => {
        const etag = etagAt(version);
        return { etag, tile: (encoding) => cache.get(etag, make, encoding, { name: family, version }) };
      };
      const held = cache.latest(family);
      if (held) {
        const version = await watch.version(layer.id);
        lastVersion.set(layer.id, version);
        // Kept from an earlier version, and no write since touched the buffered tile: still this tile.
        // (Were it evicted meanwhile, the build under its old key makes the same tile.)
        return answer(watch.unchangedWithin(layer.id, held.version, version, tileBounds(id, BUFFER)) ? held.version : version);
      }
      const guess = lastVersion.get(layer.id);
      if (!revalidating && guess !== undefined) {
        // Not kept at any version: one statement builds the tile and reads the version it was built at.
        const guessed = etagAt(guess);
        let p = building.get(guessed);
        if (!p) {
          p = buildVersionedTile(db, spec).finally(() => building.delete(guessed));
          building.set(guessed, p);
        }
        const built = await p;
        lastVersion.set(layer.id, built.version);
        return answer(built.version, async () => built.tile);
      }
      // The version is read before the tile: a write landing in between only makes this tile newer than its key.
      const version = await watch.version(layer.id);
      lastVersion.set(layer.id, version);
      return answer(version);
    },
  };
}
