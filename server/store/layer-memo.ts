/**
 * Caches built from layers (the public shelter packs, the road graph, the incident view's sites),
 * rebuilt when a feature of one of those layers is added, changed or deleted. Whether anything
 * moved is the layers' versions from the layer watch (layer-watch.ts): no query where the store
 * lets them be trusted, so asking is free on the hot path. A write NOTIFYs (migration 005, on any
 * server; heard through the watch's one listener): a cache that has been used is rebuilt then,
 * once a burst of writes has settled, so the next reader finds it ready; one nobody asked for is
 * never built.
 */
import type { Db } from './db.js';
import { watchLayers } from './layer-watch.js';
import { layersStamp } from './stamp.js';

/** A burst of writes (a commander's edits, an import's statements) gives one rebuild, this long after the last. */
export const SETTLE_MS = 500;

export interface MemoOptions {
  /**
   * Give the last finished build at once while a newer one is made (a hot public URL never waits
   * for the store); without it a caller after a write waits for the build that includes it.
   */
  stale?: boolean;
}

/**
 * `build` memoised on the versions of `layers`; `build` gets the data's "as of" time (its last
 * change). A failed build is retried on the next call.
 */
export function memoOnLayers<T>(db: Db, layers: string[], build: (latest: string | null) => Promise<T>, { stale = false }: MemoOptions = {}): () => Promise<T> {
  const watch = watchLayers(db);
  let key = '';
  let built: Promise<T> | undefined;
  let done: { value: T } | undefined;
  let checking: Promise<T> | undefined;

  const check = async (): Promise<T> => {
    const next = (await Promise.all(layers.map((l) => watch.version(l)))).join('|');
    if (next !== key || !built) {
      key = next;
      const building = layersStamp(db, layers).then((s) => build(s.latest));
      built = building;
      building.then(
        (value) => {
          if (built === building) done = { value };
        },
        () => {
          if (built === building) key = '';
        },
      );
    }
    return built;
  };

  const get = (): Promise<T> => {
    if (!stale || !done) return check();
    if (!checking) {
      checking = check();
      checking.then(
        () => (checking = undefined),
        () => (checking = undefined),
      );
    }
    return Promise.resolve(done.value);
  };

  let settle: ReturnType<typeof setTimeout> | undefined;
  watch.onChange((written) => {
    if (!built || !written.some((l) => layers.includes(l))) return;
    clearTimeout(settle);
    settle = setTimeout(() => {
      // After any build in flight, which may have read the layers before this write.
      built!.catch(() => undefined).then(check).catch(() => undefined);
    }, SETTLE_MS);
    settle.unref?.();
  });
  return get;
}
