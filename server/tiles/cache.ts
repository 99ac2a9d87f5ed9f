/**
 * Encoded tiles kept in memory, least recently used first out, bounded in bytes (TILE_CACHE_MB).
 * Keys carry the layer's version (server/store/tiles.ts layerVersion), so a write makes every older
 * tile of that layer unreachable at once; those age out as new ones come in.
 *
 * Each entry keeps the tile as built and, once asked for, its brotli and gzip bodies (RFC 9110
 * §8.4.1 content codings), so a repeat costs a map lookup and no compression. Every body counts
 * against the bound.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Default bound of the tile cache (TILE_CACHE_MB). */
export const DEFAULT_CACHE_MB = 64;

export type TileEncoding = 'br' | 'gzip' | 'identity';

/** Per-entry bookkeeping, counted as bytes too, so a million empty tiles still hit the bound. */
const ENTRY_OVERHEAD = 64;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Compressed on the libuv thread pool, off the thread that serves requests. Brotli quality 5 and
 * gzip level 6 compress a tile about as fast as each other; quality 11 (the default) would cost a
 * cold tile more than building it.
 */
async function compress(tile: Uint8Array, encoding: Exclude<TileEncoding, 'identity'>): Promise<Uint8Array> {
  const out =
    encoding === 'br'
      ? await brotli(tile, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: tile.byteLength } })
      : await gzip(tile, { level: 6 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

interface Entry {
  /** Bodies by content coding; `identity` is the tile as built. */
  bodies: Map<TileEncoding, Uint8Array>;
  bytes: number;
}

export interface CachedTile {
  /** The tile as built (what the encoders return). */
  tile: Uint8Array;
  /** The body to send and its content coding (`identity`: the tile itself). */
  body: Uint8Array;
  encoding: TileEncoding;
  /** The tile was in the cache (it may still have been compressed for this coding now). */
  cached: boolean;
}

export class TileCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Builds and compressions in progress: concurrent requests for one tile share one of each. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(readonly maxBytes: number) {}

  get size(): { tiles: number; bytes: number } {
    return { tiles: this.entries.size, bytes: this.bytes };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The cached tile, or the one `build` makes, in the content coding asked for. */
  async get(key: string, build: () => Promise<Uint8Array>, encoding: TileEncoding = 'identity'): Promise<CachedTile> {
    let entry = this.entries.get(key);
    const cached = entry !== undefined;
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      const tile = await this.once(key, build);
      entry = this.entries.get(key) ?? this.put(key, tile);
    }
    const tile = entry.bodies.get('identity')!;
    // Nothing to gain below a few dozen bytes (an empty tile is 204 with no body at all).
    if (encoding === 'identity' || tile.byteLength < 64) return { tile, body: tile, encoding: 'identity', cached };
    let body = entry.bodies.get(encoding);
    if (!body) {
      body = await this.once(`${encoding} ${key}`, () => compress(tile, encoding));
      this.add(key, entry, encoding, body);
    }
    // A coding that does not shrink the tile is not worth the client's decoding.
    return body.byteLength < tile.byteLength ? { tile, body, encoding, cached } : { tile, body: tile, encoding: 'identity', cached };
  }

  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.pending.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make().finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /** Stores a built tile (unless it alone exceeds the bound); returns its entry either way. */
  private put(key: string, tile: Uint8Array): Entry {
    const entry: Entry = { bodies: new Map([['identity', tile]]), bytes: tile.byteLength + ENTRY_OVERHEAD };
    if (entry.bytes > this.maxBytes) return entry;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    this.evict();
    return entry;
  }

  /** Keeps a compressed body with its tile, if the tile is still cached. */
  private add(key: string, entry: Entry, encoding: TileEncoding, body: Uint8Array): void {
    if (entry.bodies.has(encoding)) return;
    entry.bodies.set(encoding, body);
    entry.bytes += body.byteLength;
    if (this.entries.get(key) !== entry) return;
    this.bytes += body.byteLength;
    this.evict();
  }

  /** Least recently used out until the bound holds. */
  private evict(): void {
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }
}
