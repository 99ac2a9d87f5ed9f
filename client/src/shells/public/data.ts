/**
 * The manifest and the packs, fetched relative to the page (so the same files work from Express
 * and from a static folder written by publish-public), each pack decoded and its walking graph
 * built once.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { Graph } from '../../../../core/network/graph';
import { decodePack, type PublicArea, type PublicManifest, type PublicPack } from '../../../../core/public/pack';
import { graphOfPack } from '../../../../core/public/nearest';

export const manifestUrl = (): URL => new URL('data/manifest.json', location.href.replace(/#.*$/, ''));

export async function loadManifest(): Promise<PublicManifest> {
  const res = await fetch(manifestUrl(), { cache: 'no-cache' });
  if (!res.ok) throw new Error(`manifest ${res.status}`);
  return (await res.json()) as PublicManifest;
}

export interface LoadedArea {
  area: PublicArea;
  pack: PublicPack;
  graph: Graph;
}

const loaded = new Map<string, Promise<LoadedArea>>();

export function loadArea(area: PublicArea): Promise<LoadedArea> {
  let p = loaded.get(area.url);
  if (!p) {
    p = (async () => {
      const res = await fetch(new URL(area.url, manifestUrl()));
      if (!res.ok) throw new Error(`pack ${res.status}`);
      const pack = decodePack(new Uint8Array(await res.arrayBuffer()));
      return { area, pack, graph: graphOfPack(pack) };
    })();
    p.catch(() => loaded.delete(area.url));
    loaded.set(area.url, p);
  }
  return p;
}

/**
 * Fetches the manifest and the packs loaded so far once more, now through the service worker that
 * has just taken control, so it caches them: the first visit loaded them before it was there.
 */
export async function cacheForOffline(): Promise<void> {
  const urls = [manifestUrl(), ...[...loaded.keys()].map((u) => new URL(u, manifestUrl()))];
  await Promise.all(urls.map((u) => fetch(u).catch(() => undefined)));
}

/** Even-odd ray test on one ring. */
function inRing(ring: number[][], [x, y]: [number, number]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function inPolygon(g: Polygon | MultiPolygon, p: [number, number]): boolean {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.some((rings) => rings.length > 0 && inRing(rings[0], p) && !rings.slice(1).some((h) => inRing(h, p)));
}

const inBbox = ([w, s, e, n]: [number, number, number, number], [x, y]: [number, number]): boolean => x >= w && x <= e && y >= s && y <= n;

/**
 * The area whose boundary holds a point: areas whose bbox holds it, smallest first, loaded until
 * one's boundary does. Null when none.
 */
export async function areaAt(manifest: PublicManifest, p: [number, number]): Promise<LoadedArea | null> {
  const size = ([w, s, e, n]: [number, number, number, number]) => (e - w) * (n - s);
  const candidates = manifest.areas.filter((a) => inBbox(a.bbox, p)).sort((a, b) => size(a.bbox) - size(b.bbox));
  for (const a of candidates) {
    const l = await loadArea(a);
    if (inPolygon(l.pack.boundary, p)) return l;
  }
  return null;
}
