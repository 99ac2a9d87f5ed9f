/**
 * Layer versions (`layer_stats.changes`, migration 005) this process may trust without asking the
 * store. Every statement that writes a layer NOTIFYs its id; on embedded PGlite the notification
 * reaches this process before the writing statement (or its COMMIT) returns, so a version read
 * since the last notification for that layer is still the current one, and a cached answer keyed
 * by it is served with no SQL at all. That is what keeps the public's cached reads moving while an
 * import holds PGlite's one connection in its transaction for minutes. On PostgreSQL a
 * notification crosses another connection and may arrive after the writer's next request, so
 * every call reads the version (one indexed row, on the pool, off this thread).
 */
import type { Db } from './db.js';
import { LAYERS_CHANNEL } from './stamp.js';
import { layerVersion } from './tiles.js';

export interface LayerWatch {
  /** The layer's current version: trusted from an earlier read where the store allows, else read. */
  version(layer: string): Promise<number>;
}

export function watchLayers(db: Db): LayerWatch {
  const trusted = new Map<string, number>();
  /** Notifications seen per layer: a read that overlapped one is not trusted. */
  const notified = new Map<string, number>();
  let listening = false;
  if (db.notifiesInline) {
    db.listen(LAYERS_CHANNEL, (payload) => {
      for (const layer of payload.split(',')) {
        trusted.delete(layer);
        notified.set(layer, (notified.get(layer) ?? 0) + 1);
      }
    }).then(
      () => (listening = true),
      () => undefined,
    );
  }
  return {
    async version(layer) {
      const known = listening ? trusted.get(layer) : undefined;
      if (known !== undefined) return known;
      // Trusted only if every notification since the read began has been seen.
      const [wasListening, seen] = [listening, notified.get(layer) ?? 0];
      const version = await layerVersion(db, layer);
      if (wasListening && (notified.get(layer) ?? 0) === seen) trusted.set(layer, version);
      return version;
    },
  };
}
