/**
 * Layer versions (`layer_stats.changes`, migration 005) this process may trust without asking the
 * store. Every statement that writes a layer NOTIFYs its id, and a write of this process returns
 * only once its NOTIFYs have reached it (inline on PGlite; by a last NOTIFY waited for on
 * PostgreSQL, db.ts), so a version read since the last notification for that layer is the
 * current one and a cached answer keyed by it is served with no SQL at all. That is what keeps the
 * public's cached reads moving while an import holds PGlite's one connection in its transaction
 * for minutes, and the pool free for other work on PostgreSQL. How long a read is trusted is the
 * store's `trustNotifiedMs`: always on PGlite; on PostgreSQL one second, which bounds how late
 * another server's write (its NOTIFY crosses a connection that may be down) can be seen.
 */
import type { Db } from './db.js';
import { layerVersion } from './tiles.js';

/** The channel the triggers of migration 005 NOTIFY with the layers a statement wrote. */
export const LAYERS_CHANNEL = 'onemap_layers';

export interface LayerWatch {
  /** Resolves once this process hears the layers' notifications: nothing is trusted before. */
  readonly ready: Promise<void>;
  /** The layer's current version: trusted from an earlier read where the store allows, else read. */
  version(layer: string): Promise<number>;
}

const watches = new WeakMap<Db, LayerWatch>();

/** The store's one watch in this process (every cache keyed by versions shares its listener). */
export function watchLayers(db: Db): LayerWatch {
  let watch = watches.get(db);
  if (!watch) watches.set(db, (watch = newWatch(db)));
  return watch;
}

function newWatch(db: Db): LayerWatch {
  const trusted = new Map<string, { version: number; at: number }>();
  /** Notifications seen per layer: a read that overlapped one is not trusted. */
  const notified = new Map<string, number>();
  let listening = false;
  const ready =
    db.trustNotifiedMs > 0
      ? db
          .listen(LAYERS_CHANNEL, (payload) => {
            for (const layer of payload.split(',')) {
              trusted.delete(layer);
              notified.set(layer, (notified.get(layer) ?? 0) + 1);
            }
          })
          .then(
            () => {
              listening = true;
            },
            () => undefined,
          )
      : Promise.resolve();
  /** Reads in flight by layer, with the notifications seen when each began: callers share one. */
  const reading = new Map<string, { seen: number; version: Promise<number> }>();
  const read = (layer: string): Promise<number> => {
    const seen = notified.get(layer) ?? 0;
    const inFlight = reading.get(layer);
    // A read begun before the latest notification may give the old version: not joined.
    if (inFlight && inFlight.seen === seen) return inFlight.version;
    const [wasListening, at] = [listening, Date.now()];
    const version = layerVersion(db, layer).then((v) => {
      // Trusted only if every notification since the read began has been seen.
      if (wasListening && (notified.get(layer) ?? 0) === seen) trusted.set(layer, { version: v, at });
      return v;
    });
    const entry = { seen, version };
    reading.set(layer, entry);
    const done = () => {
      if (reading.get(layer) === entry) reading.delete(layer);
    };
    version.then(done, done);
    return version;
  };
  return {
    ready,
    async version(layer) {
      const known = listening ? trusted.get(layer) : undefined;
      if (!known) return read(layer);
      if (Date.now() - known.at >= db.trustNotifiedMs) {
        // Past its trust but contradicted by no notification: asked again behind the answer, once.
        read(layer).catch(() => undefined);
      }
      return known.version;
    },
  };
}
