/**
 * The routing graph: road lines (GeoJSON LineString / MultiLineString with `class`, `speed_kmh`,
 * `oneway`) turned into compact typed arrays that the searches walk without allocating.
 *
 * Topology: every line vertex is a node; which vertices of different lines are the same node is
 * the network's connectivity rule (`Connectivity`, below), compared on coordinates rounded to
 * 1e-7° (about 1 cm). Lines that cross without a shared vertex (bridges, flyovers, or just badly
 * drawn data) are never junctions. Each pair of consecutive vertices is one link; its length is
 * the haversine distance.
 *
 * Costs are seconds, per mode, in CSR form (offsets/targets/costs): `drive` honours one-way
 * streets, `walk` ignores them and excludes roads closed to pedestrians (motorways).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { layerWithRole } from '../catalogue/roles.js';

export type Mode = 'drive' | 'walk';
export const MODES: readonly Mode[] = ['drive', 'walk'];

export interface RoadClass {
  /** Default speed when a feature has no `speed_kmh`; undefined = not drivable. */
  speedKmh?: number;
  /** Default direction when a feature has no `oneway`. */
  oneway: boolean;
  walkable: boolean;
}

/**
 * Road classes (OpenStreetMap `highway` values) and their defaults. A default speed is the LOWER
 * bound of the design-speed range of the matching Chinese road grade — design speed is an upper
 * bound on free-flow speed, and the demo counties are hilly:
 * - highways: JTG B01-2014《公路工程技术标准》§3.5.1 (高速公路 120/100/80, 一级 100/80/60,
 *   二级 80/60, 三级 40/30, 四级 30/20 km/h);
 * - urban streets: CJJ 37-2012（2016年版）《城市道路工程设计规范》§3.2.1 (快速路 100/80/60,
 *   主干路 60/50/40, 次干路 50/40/30, 支路 40/30/20 km/h).
 * Ramps (`*_link`) take the next grade down. `track`, `service`, `living_street` have no grade in
 * either standard: 15/15/10 km/h are our assumption (四级公路 minus a margin for unsealed or
 * shared surfaces). Motorways are one-way by default as in OSM (each carriageway is drawn
 * separately); everything else is two-way unless the feature says otherwise.
 */
export const ROAD_CLASSES: Readonly<Record<string, RoadClass>> = {
  motorway: { speedKmh: 80, oneway: true, walkable: false }, // 高速公路
  motorway_link: { speedKmh: 60, oneway: true, walkable: false },
  trunk: { speedKmh: 60, oneway: false, walkable: true }, // 一级公路 60 / 快速路 60
  trunk_link: { speedKmh: 40, oneway: false, walkable: true },
  primary: { speedKmh: 40, oneway: false, walkable: true }, // 二级公路 60 / 主干路 40: the lower
  primary_link: { speedKmh: 30, oneway: false, walkable: true },
  secondary: { speedKmh: 30, oneway: false, walkable: true }, // 三级公路 30 / 次干路 30
  secondary_link: { speedKmh: 20, oneway: false, walkable: true },
  tertiary: { speedKmh: 20, oneway: false, walkable: true }, // 四级公路 20 / 支路 20
  tertiary_link: { speedKmh: 20, oneway: false, walkable: true },
  unclassified: { speedKmh: 20, oneway: false, walkable: true },
  residential: { speedKmh: 20, oneway: false, walkable: true },
  road: { speedKmh: 20, oneway: false, walkable: true },
  track: { speedKmh: 15, oneway: false, walkable: true },
  service: { speedKmh: 15, oneway: false, walkable: true },
  living_street: { speedKmh: 10, oneway: false, walkable: true },
  pedestrian: { oneway: false, walkable: true },
  footway: { oneway: false, walkable: true },
  path: { oneway: false, walkable: true },
  steps: { oneway: false, walkable: true },
  cycleway: { oneway: false, walkable: true },
  bridleway: { oneway: false, walkable: true },
};

/** A feature without `class` is treated as this (a minor public road). */
export const DEFAULT_CLASS = 'unclassified';

/**
 * Walking speed, m/s: 5 km/h, the usual adult free-walking figure (≈1.39 m/s). Used for the walk
 * mode, for a person's leg between a door and the road (core/network/access-leg.ts) and for the
 * last leg from the road to a place.
 */
export const WALK_SPEED_MS = 5 / 3.6;

/** Rounding of coordinates that decides which vertices are the same node (1e-7° ≈ 1 cm). */
export const NODE_PRECISION = 1e7;

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const s1 = Math.sin(((lat2 - lat1) * RAD) / 2);
  const s2 = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Arcs of one mode in compressed-sparse-row form: the arcs out of node n are offsets[n]..offsets[n+1]. */
export interface Csr {
  offsets: Int32Array;
  targets: Int32Array;
  /** Seconds. */
  costs: Float64Array;
  /** The link each arc runs along. */
  links: Int32Array;
}

export interface Graph {
  nodeCount: number;
  lon: Float64Array;
  lat: Float64Array;
  linkCount: number;
  linkFrom: Int32Array;
  linkTo: Int32Array;
  linkLengthM: Float64Array;
  /** Index of the input feature each link came from. */
  linkFeature: Int32Array;
  /** Seconds from `linkFrom` to `linkTo`; Infinity where driving that way is not allowed. */
  driveForward: Float64Array;
  /** Seconds from `linkTo` to `linkFrom`; Infinity where not allowed. */
  driveBackward: Float64Array;
  /** Seconds either way on foot; Infinity where walking is not allowed. */
  walk: Float64Array;
  drive: Csr;
  walkCsr: Csr;
  walkSpeedMs: number;
}

export const csrOf = (g: Graph, mode: Mode): Csr => (mode === 'drive' ? g.drive : g.walkCsr);

/** Whether a link can be used at all in a mode (in at least one direction). */
export function linkUsable(g: Graph, link: number, mode: Mode): boolean {
  return mode === 'walk' ? g.walk[link] < Infinity : g.driveForward[link] < Infinity || g.driveBackward[link] < Infinity;
}

export class NetworkError extends Error {
  constructor(
    message: string,
    /** Index of the offending feature in the input. */
    readonly feature?: number,
  ) {
    super(message);
  }
}

/**
 * How lines join (the road layer's setting, chosen at import):
 * - `endpoints`: only at their end points, as vendor networks and ArcGIS network datasets
 *   ("end point" connectivity) are drawn — a vertex shared mid-line (an overpass drawn with a
 *   common vertex, an interchange) is not a junction;
 * - `vertices`: at any shared vertex;
 * - `osm`: OpenStreetMap ways — nodes shared at equal coordinates, except between ways on different
 *   levels (`layer`, and `bridge`/`tunnel` with their implied layer ±1) unless the point is the end
 *   of a way (a bridge meets its approach roads at its ends); `highway` gives the class,
 *   `maxspeed` the speed, `oneway` (yes/true/1/-1, `junction=roundabout`) the direction.
 */
export type Connectivity = 'endpoints' | 'vertices' | 'osm';
export const CONNECTIVITIES: readonly Connectivity[] = ['endpoints', 'vertices', 'osm'];
/** Stored road layers without a setting were built at every shared vertex. */
export const DEFAULT_CONNECTIVITY: Connectivity = 'vertices';

export interface BuildOptions {
  walkSpeedMs?: number;
  /** One rule for all features, or a rule per feature (by index), e.g. per county. */
  connectivity?: Connectivity | ((feature: Feature<Geometry | null>, index: number) => Connectivity);
}

type Oneway = 1 | 0 | -1;

function parseOneway(v: unknown, i: number, fallback: boolean, lenient = false): Oneway {
  if (v === undefined || v === null || v === '') return fallback ? 1 : 0;
  if (v === true || v === 1 || v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === false || v === 0 || v === 'no' || v === 'false' || v === '0') return 0;
  if (v === -1 || v === '-1' || v === 'reverse') return -1;
  // OSM has values such as "reversible" and "alternating" (time-dependent): the class's default.
  if (lenient) return fallback ? 1 : 0;
  throw new NetworkError(
    `Road feature ${i}: "oneway" is ${JSON.stringify(v)}; use true/"yes" (drawn direction only), false/"no" (both ways) or -1/"-1" (against the drawn direction).`,
    i,
  );
}

interface LinkAttrs {
  /** m/s when driving, 0 when not drivable. */
  drive: number;
  oneway: Oneway;
  walkable: boolean;
}

/** The road attributes' field names, from the catalogue's road-network role. */
const ROAD = layerWithRole('network').roles.network;

/** OSM tag names read under the `osm` rule (https://wiki.openstreetmap.org/wiki/Key:highway etc.). */
export const OSM_TAGS = { class: 'highway', speed: 'maxspeed', oneway: 'oneway', layer: 'layer', bridge: 'bridge', tunnel: 'tunnel', junction: 'junction' } as const;

/**
 * An OSM `maxspeed` in km/h: "60", "60 km/h", "40 mph" (× 1.609344); undefined for values without
 * a number ("none", "signals", "CN:urban").
 */
export function parseMaxspeed(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 0 && v <= 200 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh|kph)?\s*$/i.exec(v.split(';')[0]);
  if (!m) return undefined;
  const kmh = Number(m[1]) * (m[2]?.toLowerCase() === 'mph' ? 1.609344 : 1);
  return kmh > 0 && kmh <= 200 ? kmh : undefined;
}

const yes = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== false && v !== 'no' && v !== 0 && v !== '0';

/**
 * The level an OSM way is drawn at: `layer` (an integer, default 0), else +1 for a bridge and −1 for
 * a tunnel (OSM's implied layers); bridge and tunnel are kept apart from plain road on the same
 * layer too. Two ways at different levels do not meet mid-way.
 */
export function osmLevel(p: Record<string, unknown>): number {
  const bridge = yes(p[OSM_TAGS.bridge]);
  const tunnel = yes(p[OSM_TAGS.tunnel]);
  const raw = Number.parseInt(String(p[OSM_TAGS.layer] ?? ''), 10);
  const layer = Number.isFinite(raw) ? raw : bridge ? 1 : tunnel ? -1 : 0;
  return layer * 4 + (bridge ? 1 : 0) + (tunnel ? 2 : 0);
}

/** The catalogue's road fields, filled from OSM tags where the feature lacks them. */
function fromOsm(p: Record<string, unknown>): Record<string, unknown> {
  const out = { ...p };
  if (out[ROAD.class] === undefined && typeof p[OSM_TAGS.class] === 'string') out[ROAD.class] = p[OSM_TAGS.class];
  if (out[ROAD.speed] === undefined) {
    const s = parseMaxspeed(p[OSM_TAGS.speed]);
    if (s !== undefined) out[ROAD.speed] = s;
  }
  if ((out[ROAD.oneway] === undefined || out[ROAD.oneway] === null) && p[OSM_TAGS.junction] === 'roundabout') out[ROAD.oneway] = 'yes';
  return out;
}

function attrsOf(props: Record<string, unknown> | null, i: number, osm = false): LinkAttrs {
  const p = osm ? fromOsm(props ?? {}) : (props ?? {});
  const rawClass = p[ROAD.class];
  const cls = rawClass === undefined || rawClass === null || rawClass === '' ? DEFAULT_CLASS : rawClass;
  if (typeof cls !== 'string') throw new NetworkError(`Road feature ${i}: "${ROAD.class}" must be a string, got ${JSON.stringify(cls)}.`, i);
  const known = ROAD_CLASSES[cls];
  let speed = known?.speedKmh;
  const rawSpeed = p[ROAD.speed];
  if (rawSpeed !== undefined && rawSpeed !== null) {
    const s = Number(rawSpeed);
    if (typeof rawSpeed === 'boolean' || !Number.isFinite(s) || s <= 0 || s > 200) {
      throw new NetworkError(`Road feature ${i}: "${ROAD.speed}" must be a number above 0 and at most 200, got ${JSON.stringify(rawSpeed)}.`, i);
    }
    speed = s;
  } else if (!known && osm) {
    // An OSM way of a class that carries no traffic (highway=construction, proposed, …).
    speed = undefined;
  } else if (!known) {
    throw new NetworkError(
      `Road feature ${i}: unknown class "${cls}" and no "${ROAD.speed}". Give a speed, or use one of: ${Object.keys(ROAD_CLASSES).join(', ')}.`,
      i,
    );
  }
  return {
    drive: speed ? speed / 3.6 : 0,
    oneway: parseOneway(p[ROAD.oneway], i, known?.oneway ?? false, osm),
    walkable: known?.walkable ?? !osm,
  };
}

function linesOf(geometry: Geometry | null, i: number): number[][][] {
  if (geometry?.type === 'LineString') return [geometry.coordinates];
  if (geometry?.type === 'MultiLineString') return geometry.coordinates;
  throw new NetworkError(`Road feature ${i}: geometry must be a LineString or MultiLineString, got ${geometry ? geometry.type : 'null'}.`, i);
}

/** A level no hash key uses: the vertex gets a node of its own. */
const PRIVATE = -0x7fffffff;
/** The level every vertex at a way's end (and every vertex under `vertices`) is keyed on. */
const GROUND = 0x7fffffff;

/** Open-addressing hash of integer coordinates (and a level) to node ids. */
class NodeIndex {
  private readonly keys: Int32Array;
  private readonly ids: Int32Array;
  private readonly mask: number;
  count = 0;
  readonly lon: Float64Array;
  readonly lat: Float64Array;

  constructor(maxNodes: number) {
    let cap = 16;
    while (cap < maxNodes * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap * 3);
    this.ids = new Int32Array(cap).fill(-1);
    this.lon = new Float64Array(Math.max(1, maxNodes));
    this.lat = new Float64Array(Math.max(1, maxNodes));
  }

  /**
   * The node at (lon, lat) on `level`: vertices with equal rounded coordinates and level are one
   * node. Level `PRIVATE` makes a node no other vertex shares.
   */
  idOf(lon: number, lat: number, level = 0): number {
    const x = Math.round(lon * NODE_PRECISION) | 0;
    const y = Math.round(lat * NODE_PRECISION) | 0;
    if (level === PRIVATE) return this.add(x, y);
    let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (y >>> 15), 0x85ebca6b) ^ Math.imul(level, 0x27d4eb2f)) & this.mask;
    for (;;) {
      const id = this.ids[h];
      if (id < 0) {
        this.ids[h] = this.count;
        this.keys[3 * h] = x;
        this.keys[3 * h + 1] = y;
        this.keys[3 * h + 2] = level;
        return this.add(x, y);
      }
      if (this.keys[3 * h] === x && this.keys[3 * h + 1] === y && this.keys[3 * h + 2] === level) return id;
      h = (h + 1) & this.mask;
    }
  }

  /** Whether some vertex at (lon, lat) was registered (any level). Used for the set of way ends. */
  has(lon: number, lat: number): boolean {
    const x = Math.round(lon * NODE_PRECISION) | 0;
    const y = Math.round(lat * NODE_PRECISION) | 0;
    let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (y >>> 15), 0x85ebca6b)) & this.mask;
    for (;;) {
      const id = this.ids[h];
      if (id < 0) return false;
      if (this.keys[3 * h] === x && this.keys[3 * h + 1] === y) return true;
      h = (h + 1) & this.mask;
    }
  }

  private add(x: number, y: number): number {
    this.lon[this.count] = x / NODE_PRECISION;
    this.lat[this.count] = y / NODE_PRECISION;
    return this.count++;
  }
}

function checkCoord(c: number[], i: number): void {
  const [lon, lat] = c;
  if (!(Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    throw new NetworkError(
      `Road feature ${i}: coordinate ${JSON.stringify(c)} is not WGS84 longitude/latitude in degrees (RFC 7946). Reproject the data to EPSG:4326.`,
      i,
    );
  }
}

/** Builds CSR arrays for one mode from per-link forward/backward costs (Infinity = no arc). */
function buildCsr(nodeCount: number, from: Int32Array, to: Int32Array, fwd: Float64Array, bwd: Float64Array): Csr {
  const n = from.length;
  const offsets = new Int32Array(nodeCount + 1);
  let arcs = 0;
  for (let l = 0; l < n; l++) {
    if (fwd[l] < Infinity) {
      offsets[from[l] + 1]++;
      arcs++;
    }
    if (bwd[l] < Infinity) {
      offsets[to[l] + 1]++;
      arcs++;
    }
  }
  for (let v = 0; v < nodeCount; v++) offsets[v + 1] += offsets[v];
  const fill = offsets.slice(0, nodeCount);
  const targets = new Int32Array(arcs);
  const costs = new Float64Array(arcs);
  const links = new Int32Array(arcs);
  for (let l = 0; l < n; l++) {
    if (fwd[l] < Infinity) {
      const k = fill[from[l]]++;
      targets[k] = to[l];
      costs[k] = fwd[l];
      links[k] = l;
    }
    if (bwd[l] < Infinity) {
      const k = fill[to[l]]++;
      targets[k] = from[l];
      costs[k] = bwd[l];
      links[k] = l;
    }
  }
  return { offsets, targets, costs, links };
}

/**
 * Builds the graph from road features. Throws NetworkError naming the feature for bad geometry,
 * coordinates outside WGS84, unknown classes without a speed, or unreadable `oneway`/`speed_kmh`.
 * Zero-length segments (repeated vertices) are dropped.
 */
export function buildGraph(
  roads: FeatureCollection<Geometry | null> | Feature<Geometry | null>[],
  options: BuildOptions = {},
): Graph {
  const features = Array.isArray(roads) ? roads : roads.features;
  const walkSpeed = options.walkSpeedMs ?? WALK_SPEED_MS;
  if (!(walkSpeed > 0)) throw new NetworkError(`walkSpeedMs must be above 0, got ${walkSpeed}.`);

  const ruleOf = typeof options.connectivity === 'function' ? options.connectivity : () => (options.connectivity as Connectivity | undefined) ?? DEFAULT_CONNECTIVITY;
  const lines: number[][][][] = [];
  const attrs: LinkAttrs[] = [];
  const rules: Connectivity[] = [];
  const levels: number[] = [];
  let vertices = 0;
  let segments = 0;
  let ends = 0;
  for (let i = 0; i < features.length; i++) {
    const ls = linesOf(features[i].geometry, i);
    for (const line of ls) {
      if (!Array.isArray(line) || line.length < 2) throw new NetworkError(`Road feature ${i}: a line needs at least two positions.`, i);
      vertices += line.length;
      segments += line.length - 1;
      ends += 2;
    }
    const rule = ruleOf(features[i], i);
    if (!CONNECTIVITIES.includes(rule)) throw new NetworkError(`Road feature ${i}: connectivity ${JSON.stringify(rule)} is not one of ${CONNECTIVITIES.join(', ')}.`, i);
    lines.push(ls);
    rules.push(rule);
    const level = rule === 'osm' ? osmLevel((features[i].properties ?? {}) as Record<string, unknown>) : 0;
    levels.push(level === 0 ? GROUND : level);
    attrs.push(attrsOf(features[i].properties as Record<string, unknown> | null, i, rule === 'osm'));
  }

  // Under `osm`, a vertex where some line ends joins every level there (see Connectivity).
  const endSet = new NodeIndex(rules.includes('osm') ? ends : 0);
  if (rules.includes('osm')) {
    for (const ls of lines) for (const line of ls) for (const c of [line[0], line[line.length - 1]]) endSet.idOf(c[0], c[1]);
  }
  const levelOf = (i: number, c: number[], end: boolean): number => {
    const rule = rules[i];
    if (end || rule === 'vertices') return GROUND;
    if (rule === 'endpoints') return PRIVATE;
    return endSet.has(c[0], c[1]) ? GROUND : levels[i];
  };

  const nodes = new NodeIndex(vertices);
  const from = new Int32Array(segments);
  const to = new Int32Array(segments);
  const len = new Float64Array(segments);
  const feat = new Int32Array(segments);
  const fwd = new Float64Array(segments);
  const bwd = new Float64Array(segments);
  const walk = new Float64Array(segments);
  let links = 0;
  for (let i = 0; i < lines.length; i++) {
    const a = attrs[i];
    for (const line of lines[i]) {
      let prev = -1;
      for (let k = 0; k < line.length; k++) {
        const c = line[k];
        checkCoord(c, i);
        const id = nodes.idOf(c[0], c[1], levelOf(i, c, k === 0 || k === line.length - 1));
        if (prev >= 0 && id !== prev) {
          const m = haversineM(nodes.lon[prev], nodes.lat[prev], nodes.lon[id], nodes.lat[id]);
          from[links] = prev;
          to[links] = id;
          len[links] = m;
          feat[links] = i;
          const t = a.drive > 0 ? m / a.drive : Infinity;
          fwd[links] = a.oneway === -1 ? Infinity : t;
          bwd[links] = a.oneway === 1 ? Infinity : t;
          walk[links] = a.walkable ? m / walkSpeed : Infinity;
          links++;
        }
        prev = id;
      }
    }
  }

  const nodeCount = nodes.count;
  const trim = <T extends Int32Array | Float64Array>(arr: T): T => arr.slice(0, links) as T;
  const linkFrom = trim(from);
  const linkTo = trim(to);
  const driveForward = trim(fwd);
  const driveBackward = trim(bwd);
  const walkCost = trim(walk);
  return {
    nodeCount,
    lon: nodes.lon.slice(0, nodeCount),
    lat: nodes.lat.slice(0, nodeCount),
    linkCount: links,
    linkFrom,
    linkTo,
    linkLengthM: trim(len),
    linkFeature: trim(feat),
    driveForward,
    driveBackward,
    walk: walkCost,
    drive: buildCsr(nodeCount, linkFrom, linkTo, driveForward, driveBackward),
    walkCsr: buildCsr(nodeCount, linkFrom, linkTo, walkCost, walkCost),
    walkSpeedMs: walkSpeed,
  };
}
