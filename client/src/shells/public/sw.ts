/**
 * The shelter finder's service worker (`/shelters/sw.js`, scope `/shelters/`): the page keeps
 * answering with no network.
 * - install: the shell page and every asset it can load (the list is written in at build time by
 *   the precache plugin in vite.config.ts) go into a cache named after that list's hash;
 * - the page and the manifest: network first, the cached copy when offline;
 * - packs and hashed assets: cache first (their URLs change whenever their content does).
 * Self-contained (no imports), so the build emits it as one plain script.
 */

// The few service-worker types used, declared here: the project compiles against the DOM lib,
// which the WebWorker lib would clash with.
interface SwEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface SwFetchEvent extends SwEvent {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface SwScope {
  registration: ServiceWorkerRegistration;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (e: SwEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: SwFetchEvent) => void): void;
}
const sw = self as unknown as SwScope;
/** Replaced at build time: bundle paths relative to the site root, and a hash of them. */
declare const __PRECACHE__: string[];
declare const __PRECACHE_VERSION__: string;

const CACHE = `shelters-${__PRECACHE_VERSION__}`;
const DATA = 'shelters-data';
const scope = new URL(sw.registration.scope);
const shell = scope.href;
const root = new URL('../', scope);

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([shell, ...__PRECACHE__.map((f) => new URL(f, root).href)]);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE && name !== DATA) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

/** Network first; a good answer refreshes the cache; offline, the cached copy. */
async function networkFirst(request: Request, cacheName: string, key: string = request.url): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(request: Request, cacheName: string): Promise<Response> {
  const hit = await caches.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await (await caches.open(cacheName)).put(request, res.clone());
  return res;
}

/** Keeps only the packs the current manifest lists, so old versions do not pile up. */
async function prunePacks(manifest: Response): Promise<void> {
  try {
    const { areas } = (await manifest.json()) as { areas: { url: string }[] };
    const base = new URL('data/', scope);
    const keep = new Set(areas.map((a) => new URL(a.url, base).href));
    const cache = await caches.open(DATA);
    for (const req of await cache.keys()) if (req.url.includes('/data/packs/') && !keep.has(req.url)) await cache.delete(req);
  } catch {
    // A manifest that does not parse changes nothing here; the page reports it.
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith(scope.pathname)) {
    event.respondWith(networkFirst(request, CACHE, shell));
  } else if (url.pathname === `${scope.pathname}data/manifest.json`) {
    event.respondWith(
      networkFirst(request, DATA, url.origin + url.pathname).then((res) => {
        if (res.ok) event.waitUntil(prunePacks(res.clone()));
        return res;
      }),
    );
  } else if (url.pathname.startsWith(`${scope.pathname}data/packs/`)) {
    event.respondWith(cacheFirst(request, DATA));
  } else if (url.pathname.startsWith(`${root.pathname}assets/`)) {
    event.respondWith(cacheFirst(request, CACHE));
  }
});

export {};
