/**
 * What a shared link keeps: the origin, the hazard and the chosen shelter, in the URL hash
 * (`#o=lon,lat&h=earthquake&s=<shelter id>`), so a static server or CDN serves the same page for
 * every link and the service worker's cached shell answers it offline.
 */
export interface LinkState {
  origin?: [number, number];
  hazard?: string;
  shelter?: string;
}

const coord = (s: string | null): [number, number] | undefined => {
  const m = s ? /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(s) : null;
  if (!m) return undefined;
  const lon = Number(m[1]);
  const lat = Number(m[2]);
  return Math.abs(lon) <= 180 && Math.abs(lat) <= 90 ? [lon, lat] : undefined;
};

export function parseLink(hash: string): LinkState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  return { origin: coord(q.get('o')), hazard: q.get('h') || undefined, shelter: q.get('s') || undefined };
}

/** The hash for a state; coordinates to 1e-6° (about 10 cm). */
export function formatLink(s: LinkState): string {
  const q = new URLSearchParams();
  if (s.origin) q.set('o', s.origin.map((x) => x.toFixed(6)).join(','));
  if (s.hazard) q.set('h', s.hazard);
  if (s.shelter) q.set('s', s.shelter);
  const text = q.toString().replace(/%2C/g, ',');
  return text ? `#${text}` : '';
}
