/**
 * Encoded tiles kept in memory, least recently used first out, bounded in bytes. Keys carry the
 * layer's version (server/store/tiles.ts layerVersion), so a write makes every older tile of that
 * layer unreachable at once; those age out as new ones come in.
 */
export class TileCache {
  private readonly tiles = new Map<string, Uint8Array>();
  private bytes = 0;
  /** Builds in progress: concurrent requests for one tile share one query. */
  private readonly pending = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly maxBytes: number) {}

  get size(): { tiles: number; bytes: number } {
    return { tiles: this.tiles.size, bytes: this.bytes };
  }

  /** The cached tile, or the one `build` makes (stored unless it alone exceeds the bound). */
  async get(key: string, build: () => Promise<Uint8Array>): Promise<{ tile: Uint8Array; cached: boolean }> {
    const hit = this.tiles.get(key);
    if (hit) {
      this.tiles.delete(key);
      this.tiles.set(key, hit);
      return { tile: hit, cached: true };
    }
    let p = this.pending.get(key);
    if (!p) {
      p = build().finally(() => this.pending.delete(key));
      this.pending.set(key, p);
      this.put(key, await p);
    }
    return { tile: await p, cached: false };
  }

  private put(key: string, tile: Uint8Array): void {
    // An empty tile still costs its entry; count it as a small one.
    const cost = Math.max(tile.byteLength, 64);
    if (cost > this.maxBytes || this.tiles.has(key)) return;
    this.tiles.set(key, tile);
    this.bytes += cost;
    for (const [k, t] of this.tiles) {
      if (this.bytes <= this.maxBytes) break;
      this.tiles.delete(k);
      this.bytes -= Math.max(t.byteLength, 64);
    }
  }
}
