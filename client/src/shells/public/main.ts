/**
 * The public shelter finder (`/shelters/`): where you are, which hazard → the shelters you can
 * walk to, ranked on the phone from the area's pack (core/public/nearest.ts). The answer is text
 * first; the map library loads after it (map.ts), and the service worker (sw.ts) keeps page and
 * packs for offline use.
 */
import type { PublicManifest } from '../../../../core/public/pack';
import { rankShelters, type RankedShelter } from '../../../../core/public/nearest';
import { areaAt, cacheForOffline, inPolygon, loadArea, loadManifest, type LoadedArea } from './data';
import { byId, h } from './dom';
import { optionLabel } from './labels';
import { formatLink, parseLink } from './link';
import type { ShelterMap } from './map';
import { message, type Lang, type MessageKey } from './messages';
import { NAV_APPS, navigationUrl } from './navigate';
import './styles.css';

/** Shelters listed per group (open, full, closed, planned, unsuitable). */
const PER_GROUP = 5;
const LANG_KEY = 'onemap.lang';
const ICON: Record<RankedShelter['group'], string> = { open: '✓', full: '●', closed: '✕', planned: '◌', unsuitable: '⚠' };

interface Notice {
  key: MessageKey;
  params?: Record<string, string | number>;
}

const state = {
  lang: storedLang(),
  manifest: undefined as PublicManifest | undefined,
  area: undefined as LoadedArea | undefined,
  origin: undefined as [number, number] | undefined,
  hazard: 'earthquake',
  selected: undefined as string | undefined,
  ranked: [] as RankedShelter[],
  notice: undefined as Notice | undefined,
  locating: false,
  failed: false,
};
let shelterMap: ShelterMap | undefined;
let mapLoading: Promise<void> | undefined;

function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

const t = (key: MessageKey, params?: Record<string, string | number>) => message(state.lang, key, params);
const hazardName = () => {
  const hz = state.manifest?.hazards.find((x) => x.value === state.hazard);
  return hz ? hz[state.lang] : state.hazard;
};
const minutes = (r: RankedShelter) => Math.max(1, Math.ceil(r.walkSeconds / 60));
const metres = (r: RankedShelter) => Math.round(r.walkMetres / 10) * 10;
const statusText = (r: RankedShelter) => t(`status.${r.group}`, { hazard: hazardName() });

// ------------------------------------------------------------------ rendering

function renderStatic(): void {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t('title')} · ${t('appName')}`;
  for (const el of document.querySelectorAll<HTMLElement>('[data-msg]')) el.textContent = t(el.dataset.msg as MessageKey);
  const lang = byId<HTMLButtonElement>('lang');
  lang.lang = state.lang === 'zh' ? 'en' : 'zh-CN';
  lang.setAttribute('aria-label', t('langSwitchLabel'));
  byId<HTMLInputElement>('search').placeholder = t('search');
  byId<HTMLInputElement>('search').setAttribute('aria-label', t('search'));
  byId('demo').hidden = !(state.area?.pack.demo ?? state.manifest?.demo);
  byId<HTMLButtonElement>('locate').textContent = state.locating ? t('locating') : t('locate');
  byId('map').setAttribute('aria-label', t('map'));
}

function renderHazards(): void {
  const box = byId('hazards');
  box.setAttribute('aria-label', t('hazard'));
  box.replaceChildren(
    ...(state.manifest?.hazards ?? []).map((hz) =>
      h('button', { type: 'button', role: 'radio', 'aria-checked': String(hz.value === state.hazard), class: 'chip', onclick: () => chooseHazard(hz.value) }, hz[state.lang]),
    ),
  );
}

function renderAreas(): void {
  const select = byId<HTMLSelectElement>('area');
  const areas = state.manifest?.areas ?? [];
  byId('area-box').hidden = areas.length < 2;
  select.replaceChildren(...areas.map((a) => h('option', { value: a.code, selected: a.code === state.area?.area.code }, a.name[state.lang])));
}

function renderStatus(): void {
  const time = state.area?.pack.generatedAt ?? state.manifest?.generatedAt;
  const when = time ? new Date(time).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '';
  const el = byId('status');
  el.textContent = time ? t(navigator.onLine ? 'online' : 'offline', { time: when }) : '';
  el.classList.toggle('offline', !navigator.onLine);
}

function renderNotice(): void {
  const el = byId('notice');
  el.hidden = !state.notice && !state.failed;
  el.replaceChildren();
  if (state.failed) el.append(t('loadFailed'), ' ', h('button', { type: 'button', class: 'link', onclick: () => void boot() }, t('retry')));
  else if (state.notice) el.append(t(state.notice.key, state.notice.params));
}

function summaryText(): string {
  if (!state.area) return state.failed ? '' : t('loading');
  if (!state.origin) return t('chooseOrigin');
  const best = state.ranked[0];
  if (!best || best.group !== 'open') return t('summaryNone', { hazard: hazardName() });
  return (
    t('summary', { hazard: hazardName(), name: best.shelter.name, minutes: minutes(best), metres: metres(best), status: statusText(best) }) +
    (best.straightLine ? t('summaryStraight') : '')
  );
}

function card(r: RankedShelter, n: number): HTMLLIElement {
  const s = r.shelter;
  const selected = s.id === state.selected;
  const list = (field: string, codes: string[]) => codes.map((c) => optionLabel(field, c, state.lang)).join(state.lang === 'zh' ? '、' : ', ');
  const trip = { from: state.origin, to: [s.lon, s.lat] as [number, number], name: s.name };
  return h(
    'li',
    { class: `card group-${r.group}${selected ? ' selected' : ''}`, 'data-shelter': s.id },
    h(
      'button',
      { type: 'button', class: 'pick', 'aria-pressed': String(selected), onclick: () => select(s.id) },
      h('span', { class: 'num', 'aria-hidden': 'true' }, n),
      h('span', { class: 'name' }, s.name),
      h('span', { class: `badge badge-${r.group}` }, h('span', { 'aria-hidden': 'true' }, ICON[r.group]), ' ', statusText(r)),
    ),
    h('p', { class: 'walk' }, h('strong', {}, t('walk', { minutes: minutes(r) })), ' · ', t('metres', { metres: metres(r) })),
    r.straightLine && h('p', { class: 'warn' }, t('straightLine')),
    r.reason && h('p', { class: 'reason' }, t(`reason.${r.reason}` as MessageKey, { ...r.reasonParams, hazard: hazardName() })),
    h('p', { class: 'meta' }, optionLabel('class', s.class, state.lang), s.capacity ? ` · ${t('capacity', { n: s.capacity.toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en') })}` : ''),
    s.facilities.length > 0 && h('p', { class: 'meta' }, `${t('facilities')}：${list('facilities', s.facilities)}`),
    s.accessibility.length > 0 && h('p', { class: 'meta' }, `${t('accessibility')}：${list('accessibility', s.accessibility)}`),
    (s.address || s.town) && h('p', { class: 'addr' }, s.address && s.town && !s.address.startsWith(s.town) ? `${s.town} ${s.address}` : (s.address ?? s.town)),
    h(
      'details',
      { class: 'nav' },
      h('summary', { 'aria-label': t('navigateTo', { name: s.name }) }, t('navigate')),
      h('ul', {}, NAV_APPS.map((app) => h('li', {}, h('a', { href: navigationUrl(app, trip), target: '_blank', rel: 'noopener' }, t(`nav.${app}`))))),
    ),
  );
}

function renderResults(): void {
  byId('summary').textContent = summaryText();
  // For bench/public-slow4g.bench.ts: when the first ranked answer was on screen.
  if (state.ranked.length > 0 && performance.getEntriesByName('shelters:answer').length === 0) performance.mark('shelters:answer');
  const title = byId('results-title');
  title.hidden = state.ranked.length === 0;
  title.textContent = t('results', { hazard: hazardName() });
  byId('results').replaceChildren(...state.ranked.map((r, i) => card(r, i + 1)));
  byId('actions').hidden = !state.origin || state.ranked.length === 0;
  const hook = window.__shelters;
  if (hook) hook.ranked = state.ranked.map((r) => ({ id: r.shelter.id, group: r.group, walkSeconds: r.walkSeconds }));
}

function renderMap(): void {
  if (!shelterMap) return;
  shelterMap.setOrigin(state.origin, t('youAreHere'));
  shelterMap.setResults(state.ranked, state.selected, (r, n) => `${n}. ${r.shelter.name}，${statusText(r)}，${t('walk', { minutes: minutes(r) })}`);
}

function render(): void {
  renderStatic();
  renderHazards();
  renderAreas();
  renderStatus();
  renderNotice();
  renderResults();
  renderMap();
}

// ------------------------------------------------------------------ actions

function writeLink(): void {
  history.replaceState(null, '', `${location.pathname}${location.search}${formatLink({ origin: state.origin, hazard: state.hazard, shelter: state.selected })}`);
}

function rank(keepSelection: boolean): void {
  if (!state.area || !state.origin) {
    state.ranked = [];
  } else {
    state.ranked = rankShelters(state.area.pack, state.area.graph, state.origin, state.hazard, { limit: PER_GROUP });
    if (!keepSelection || !state.ranked.some((r) => r.shelter.id === state.selected)) state.selected = state.ranked[0]?.shelter.id;
  }
  writeLink();
  render();
}

async function setOrigin(p: [number, number], selected?: string): Promise<void> {
  state.notice = undefined;
  if (!state.manifest) return;
  if (!state.area || !inPolygon(state.area.pack.boundary, p)) {
    const found = await areaAt(state.manifest, p);
    if (!found) {
      state.notice = { key: 'outsideAreas' };
      render();
      return;
    }
    state.area = found;
    shelterMap?.setPack(found.pack);
  }
  state.origin = p;
  state.selected = selected;
  rank(selected !== undefined);
  void showMap();
}

function chooseHazard(value: string): void {
  state.hazard = value;
  rank(true);
}

function select(id: string): void {
  state.selected = id;
  writeLink();
  for (const li of document.querySelectorAll<HTMLElement>('#results > li')) {
    const on = li.dataset.shelter === id;
    li.classList.toggle('selected', on);
    li.querySelector('.pick')?.setAttribute('aria-pressed', String(on));
  }
  renderMap();
}

function locate(): void {
  if (!('geolocation' in navigator)) {
    state.notice = { key: 'locateUnavailable' };
    render();
    return;
  }
  state.locating = true;
  state.notice = undefined;
  render();
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      state.locating = false;
      void setOrigin([pos.coords.longitude, pos.coords.latitude]);
    },
    (err) => {
      state.locating = false;
      state.notice = { key: err.code === err.PERMISSION_DENIED ? 'locateRefused' : 'locateUnavailable' };
      render();
    },
    { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
  );
}

function searchPlaces(q: string): void {
  const list = byId('search-results');
  const input = byId<HTMLInputElement>('search');
  const query = q.trim().toLowerCase();
  if (!query || !state.area) {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    return;
  }
  const hits = state.area.pack.places.filter((p) => p.name.toLowerCase().includes(query)).slice(0, 8);
  list.replaceChildren(
    ...(hits.length
      ? hits.map((p) =>
          h('li', { role: 'option' }, h('button', { type: 'button', onclick: () => {
            input.value = p.name;
            list.hidden = true;
            input.setAttribute('aria-expanded', 'false');
            void setOrigin([p.lon, p.lat]);
          } }, p.name)),
        )
      : [h('li', { class: 'none' }, t('searchNone', { q }))]),
  );
  list.hidden = false;
  input.setAttribute('aria-expanded', 'true');
}

async function share(): Promise<void> {
  const url = `${location.origin}${location.pathname}${formatLink({ origin: state.origin, hazard: state.hazard, shelter: state.selected })}`;
  if (navigator.share) {
    try {
      await navigator.share({ title: t('title'), text: summaryText(), url });
      return;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    state.notice = { key: 'copied' };
  } catch {
    state.notice = { key: 'copyFailed', params: { url } };
  }
  renderNotice();
}

async function print(): Promise<void> {
  await showMap();
  const url = `${location.origin}${location.pathname}${formatLink({ origin: state.origin, hazard: state.hazard, shelter: state.selected })}`;
  const [{ printNotice }, image] = await Promise.all([import('./print'), shelterMap!.snapshot()]);
  await printNotice(byId('print-notice'), {
    title: t('printTitle', { hazard: hazardName() }),
    asOf: byId('status').textContent ?? '',
    demo: byId('demo').hidden ? undefined : t('demo'),
    image,
    url,
    scan: t('printScan'),
    rows: state.ranked.filter((r) => r.group === 'open').map((r, i) => ({
      n: i + 1,
      name: r.shelter.name,
      walk: `${t('walk', { minutes: minutes(r) })} · ${t('metres', { metres: metres(r) })}`,
      note: [r.shelter.address, r.shelter.capacity ? t('capacity', { n: r.shelter.capacity }) : ''].filter(Boolean).join(' · '),
    })),
  });
  window.print();
}

/** Loads the map library after the answer is shown; the list never waits for it. */
function showMap(): Promise<void> {
  if (!state.area) return Promise.resolve();
  mapLoading ??= (async () => {
    const { createMap } = await import('./map');
    const container = byId('map');
    container.replaceChildren();
    shelterMap = await createMap(container, state.area!.pack, {
      onTap: (p) => void setOrigin(p),
      onPick: (id) => select(id),
    });
    if (window.__shelters) window.__shelters.map = shelterMap.map;
    renderMap();
    shelterMap.map.once('idle', () => performance.mark('shelters:map-idle'));
  })();
  return mapLoading;
}

// ------------------------------------------------------------------ start

declare global {
  interface Window {
    /** What the browser tests read: the ranking shown, and the MapLibre map once loaded. */
    __shelters?: { ranked: { id: string; group: string; walkSeconds: number }[]; map?: import('maplibre-gl').Map };
  }
}

function wire(): void {
  byId('lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    try {
      localStorage.setItem(LANG_KEY, state.lang);
    } catch {
      // Storage refused (private mode): the choice lasts for this page.
    }
    render();
  });
  byId('locate').addEventListener('click', locate);
  const input = byId<HTMLInputElement>('search');
  input.addEventListener('input', () => searchPlaces(input.value));
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') (byId('search-results').querySelector('button') as HTMLButtonElement | null)?.click();
    if (ev.key === 'Escape') searchPlaces('');
  });
  byId<HTMLSelectElement>('area').addEventListener('change', async (ev) => {
    const area = state.manifest?.areas.find((a) => a.code === (ev.target as HTMLSelectElement).value);
    if (!area) return;
    state.area = await loadArea(area);
    state.origin = undefined;
    shelterMap?.setPack(state.area.pack);
    rank(false);
  });
  byId('share').addEventListener('click', () => void share());
  byId('print').addEventListener('click', () => void print());
  addEventListener('online', renderStatus);
  addEventListener('offline', renderStatus);
}

async function boot(): Promise<void> {
  state.failed = false;
  render();
  try {
    state.manifest = await loadManifest();
  } catch {
    state.failed = true;
    render();
    return;
  }
  const link = parseLink(location.hash);
  const hazards = state.manifest.hazards.map((x) => x.value);
  state.hazard = link.hazard && hazards.includes(link.hazard) ? link.hazard : hazards.includes('earthquake') ? 'earthquake' : (hazards[0] ?? '');
  if (link.origin) {
    await setOrigin(link.origin, link.shelter);
    if (state.area) return;
  }
  const first = state.manifest.areas[0];
  if (first) state.area = await loadArea(first);
  rank(false);
  void showMap();
  // Someone who already allowed location for this page gets the answer without a tap.
  const perm = await navigator.permissions?.query({ name: 'geolocation' }).catch(() => undefined);
  if (perm?.state === 'granted' && !state.origin) locate();
}

window.__shelters = { ranked: [] };
wire();
void boot();
// Registered in every build (the Vite dev server has no sw.js, so there it fails quietly).
if ('serviceWorker' in navigator) {
  const first = !navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (first) void cacheForOffline();
  });
  void navigator.serviceWorker.register(new URL('sw.js', location.href.replace(/#.*$/, '')), { scope: './' }).catch(() => undefined);
}
