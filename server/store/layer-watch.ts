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
 *
 * Each writing statement also says which version it made and the extent of the rows it touched
 * (migration 029), so a cached answer for one box survives writes elsewhere in its layer
 * (`unchangedWithin`): an import into one county leaves the others' tiles and pages cached.
 */
import type { Db } from './db.js';
import { layerVersion } from './tiles.js';

/** The channel the triggers of migration 005 NOTIFY with the layers a statement wrote. */
export const LAYERS_CHANNEL = 'onemap_layers';
/** The channel of migration 029: per layer, the version a statement made and where its rows were. */
export const LAYER_CHANGES_CHANNEL = 'onemap_layer_changes';

/** [west, south, east, north] in WGS84 degrees. */
export type Box = readonly [number, number, number, number];

/** Versions of a layer whose extent is remembered: an answer older than that is rebuilt. */
const CHANGES_KEPT = 1024;

const meets = (a: Box, b: Box): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

export interface LayerWatch {
  /** Resolves once this process hears the layers' notifications: nothing is trusted before. */
  readonly ready: Promise<void>;
  /** The layer's current version: trusted from an earlier read where the store allows, else read. */
  version(layer: string): Promise<number>;
  /**
   * Whether every change of the layer after version `from` up to `to` is known to lie outside `box`
   * (no box: the whole layer), so an answer for the box made at `from` is still right at `to`. False
   * when any change in between was not heard (before listening, lost, another server's NOTIFY not
   * yet arrived) or has no extent (a rule of the whole layer, a TRUNCATE).
   */
  unchangedWithin(layer: string, from: number, to: number, box?: Box): boolean;
  /** Calls `fn` with the layers of every write heard (any server's), after the watch has taken it in. */
  onChange(fn: (layers: string[]) => void): void;
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
  /** The extent of each heard version of each layer (null: unknown), the last CHANGES_KEPT. */
  const extents = new Map<string, Map<number, Box | null>>();
  const subscribers = new Set<(layers: string[]) => void>();
  let listening = false;
  const ready = Promise.all([
    db.listen(LAYERS_CHANNEL, (payload) => {
      const layers = payload.split(',');
      for (const layer of layers) {
        trusted.delete(layer);
        notified.set(layer, (notified.get(layer) ?? 0) + 1);
      }
      for (const fn of subscribers) fn(layers);
    }),
    db.listen(LAYER_CHANGES_CHANNEL, (payload) => {
      let changes: unknown;
      try {
        changes = JSON.parse(payload);
      } catch {
        changes = undefined;
      }
      // Not ours: its versions stay unknown, so nothing is kept past them.
      if (!Array.isArray(changes)) return;
      for (const { layer, version, box } of changes as { layer: string; version: number; box: Box | null }[]) {
        let log = extents.get(layer);
        if (!log) extents.set(layer, (log = new Map()));
        log.set(version, box);
        if (log.size > CHANGES_KEPT) log.delete(log.keys().next().value!);
      }
    }),
  ]).then(
    () => {
      listening = true;
    },
    () => undefined,
  );
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
    unchangedWithin(layer, from, to, box) {
      if (to === from) return true;
      const log = extents.get(layer);
      if (!box || !log || to < from || to - from > CHANGES_KEPT) return false;
      for (let v = from + 1; v <= to; v++) {
        const changed = log.get(v);
        if (!changed || meets(changed, box)) return false;
      }
      return true;
    },
    onChange(fn) {
      subscribers.add(fn);
    },
  };
}
