/**
 * The shareable part of the state in the URL hash: `#map=zoom/lat/lon&layers=a,b&area=500105`.
 * Written with replaceState so panning does not fill the browser history.
 */

export interface View {
  zoom: number;
  lat: number;
  lon: number;
}

export interface HashState {
  map?: View;
  /** Visible layers; undefined when the URL does not say (then the catalogue defaults apply). */
  layers?: string[];
  area?: string;
}

export function parseHash(hash: string): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state: HashState = {};
  const m = params.get('map')?.split('/').map(Number);
  if (m && m.length === 3 && m.every(Number.isFinite) && Math.abs(m[1]) <= 90 && Math.abs(m[2]) <= 180 && m[0] >= 0 && m[0] <= 24) {
    state.map = { zoom: m[0], lat: m[1], lon: m[2] };
  }
  const layers = params.get('layers');
  if (layers !== null) state.layers = layers.split(',').filter(Boolean);
  const area = params.get('area');
  if (area && /^\d{6}$/.test(area)) state.area = area;
  return state;
}

export function formatHash(state: HashState): string {
  const parts: string[] = [];
  if (state.map) {
    const { zoom, lat, lon } = state.map;
    parts.push(`map=${zoom.toFixed(2)}/${lat.toFixed(5)}/${lon.toFixed(5)}`);
  }
  if (state.layers) parts.push(`layers=${state.layers.join(',')}`);
  if (state.area) parts.push(`area=${state.area}`);
  return `#${parts.join('&')}`;
}

export function writeHash(state: HashState): void {
  const hash = formatHash(state);
  if (hash !== window.location.hash) history.replaceState(history.state, '', hash);
}
