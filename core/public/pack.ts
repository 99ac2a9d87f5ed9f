/**
 * The public data pack: everything the public shelter finder needs for one county, as one
 * versioned binary file the phone caches and ranks on offline. Isomorphic (no Node/DOM imports).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { NODE_PRECISION } from '../network/graph.js';

export interface PublicManifest {
  /** ISO time the packs were built ("data as of"). */
  generatedAt: string;
  /** Demo data loaded: the UI shows a short 演示数据 label. */
  demo: boolean;
  /** The catalogue's hazard list. */
  hazards: { value: string; zh: string; en: string }[];
  areas: PublicArea[];
}

export interface PublicArea {
  code: string;
  name: { zh: string; en: string };
  bbox: [number, number, number, number];
  /** Relative to the manifest: "packs/500105-<version>.pack". */
  url: string;
  bytes: number;
  version: string;
}

export type ShelterStatus = 'open' | 'full' | 'closed' | 'planned';

export interface PackShelter {
  id: string;
  name: string;
  address?: string;
  town?: string;
  lon: number;
  lat: number;
  /** GB 51143-2015 class code (emergency, fixed_short, …). */
  class: string;
  capacity?: number;
  areaM2?: number;
  status: ShelterStatus;
  /** Declared suitable hazards (catalogue `hazards`). */
  hazards: string[];
  /**
   * Computed server-side (core/analysis/shelter-capacity/suitability.ts) without revealing internal
   * geohazard positions; `params` fill the reason's message (e.g. the hazard zone's name and level).
   */
  unsuitable: { hazard: string; reason: string; params?: Record<string, string | number> }[];
  /** Catalogue facility codes. */
  facilities: string[];
  /** Catalogue accessibility codes (wheelchair, pets_allowed, …). */
  accessibility: string[];
  demo: boolean;
}

export interface PackRoad {
  /** Quantised to core/network/graph.ts NODE_PRECISION so buildGraph joins the nodes the server joins. */
  coords: [number, number][];
  class: string;
  name?: string;
  oneway?: string;
  speedKmh?: number;
}

export interface PackTown {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

export type PlaceKind = 'town' | 'street' | 'shelter' | 'landmark';

export interface PackPlace {
  name: string;
  kind: PlaceKind;
  lon: number;
  lat: number;
}

export interface PublicPack {
  county: string;
  version: string;
  generatedAt: string;
  demo: boolean;
  shelters: PackShelter[];
  /** The walking network and the streets drawn for orientation. */
  roads: PackRoad[];
  boundary: Polygon | MultiPolygon;
  towns: PackTown[];
  places: PackPlace[];
}

/*
 * Binary layout (format 1), all integers little-endian:
 *   "OMPK" · format byte · u32 header length · header JSON (UTF-8) · body
 * The header holds the scalar members and the string table (every string once: road names and
 * classes, shelter and place names, codes). The body is a stream of LEB128 varints: string
 * references, counts, optional numbers, and coordinates as Int32 at NODE_PRECISION (1e-7°),
 * each point zigzag-delta-coded against the previous point in the stream. Sections in order:
 * shelters, roads, boundary, towns, places.
 * Format 2 added the params of a shelter's unsuitability reasons (count, then key and value each).
 */
const MAGIC = [0x4f, 0x4d, 0x50, 0x4b]; // "OMPK"
export const PACK_FORMAT = 2;

interface Header {
  county: string;
  version: string;
  generatedAt: string;
  demo: boolean;
  strings: string[];
}

/** A coordinate as the pack stores it: rounded to NODE_PRECISION, the graph's node identity. */
export const quantise = (x: number): number => Math.round(x * NODE_PRECISION) / NODE_PRECISION;

export class PackError extends Error {}

class Writer {
  private buf = new Uint8Array(1 << 16);
  length = 0;
  private strings = new Map<string, number>();
  readonly table: string[] = [];
  private x = 0;
  private y = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  uint(v: number): void {
    if (!(Number.isSafeInteger(v) && v >= 0)) throw new PackError(`cannot store ${v} as an unsigned integer`);
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Zigzag: 0, -1, 1, -2, … → 0, 1, 2, 3, … (arithmetic: deltas can exceed 32 bits). */
  int(v: number): void {
    this.uint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  str(s: string): void {
    let i = this.strings.get(s);
    if (i === undefined) {
      i = this.table.push(s) - 1;
      this.strings.set(s, i);
    }
    this.uint(i);
  }

  optStr(s: string | undefined): void {
    if (s === undefined) this.uint(0);
    else {
      this.uint(1);
      this.str(s);
    }
  }

  strs(list: readonly string[]): void {
    this.uint(list.length);
    for (const s of list) this.str(s);
  }

  /** 0 = absent, 1 = a non-negative integer, 2 = any other number as float64. */
  optNum(v: number | undefined): void {
    if (v === undefined) this.uint(0);
    else if (Number.isSafeInteger(v) && v >= 0) {
      this.uint(1);
      this.uint(v);
    } else {
      this.uint(2);
      this.room(8);
      new DataView(this.buf.buffer).setFloat64(this.length, v, true);
      this.length += 8;
    }
  }

  point(lon: number, lat: number): void {
    const x = Math.round(lon * NODE_PRECISION);
    const y = Math.round(lat * NODE_PRECISION);
    this.int(x - this.x);
    this.int(y - this.y);
    this.x = x;
    this.y = y;
  }

  /** A message parameter: tag 0 then a string, or a number as optNum writes it (tags 1 and 2). */
  params(p: Readonly<Record<string, string | number>> | undefined): void {
    const entries = Object.entries(p ?? {});
    this.uint(entries.length);
    for (const [k, v] of entries) {
      this.str(k);
      if (typeof v === 'string') {
        this.uint(0);
        this.str(v);
      } else this.optNum(v);
    }
  }

  points(coords: readonly (readonly number[])[]): void {
    this.uint(coords.length);
    for (const c of coords) this.point(c[0], c[1]);
  }

  area(g: Polygon | MultiPolygon): void {
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    this.uint(g.type === 'Polygon' ? 0 : 1);
    if (g.type === 'MultiPolygon') this.uint(polygons.length);
    for (const rings of polygons) {
      this.uint(rings.length);
      for (const ring of rings) this.points(ring);
    }
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

class Reader {
  private at = 0;
  private x = 0;
  private y = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly table: string[],
  ) {}

  get done(): boolean {
    return this.at === this.buf.length;
  }

  uint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.buf.length) throw new PackError('the pack is truncated');
      const b = this.buf[this.at++];
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new PackError('a varint in the pack is too long');
    }
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  str(): string {
    const i = this.uint();
    if (i >= this.table.length) throw new PackError(`string ${i} is not in the pack's table of ${this.table.length}`);
    return this.table[i];
  }

  optStr(): string | undefined {
    return this.uint() === 0 ? undefined : this.str();
  }

  strs(): string[] {
    return Array.from({ length: this.uint() }, () => this.str());
  }

  /** Undefined when there are none, so a decoded reason without params has no `params` member. */
  params(): Record<string, string | number> | undefined {
    const n = this.uint();
    if (n === 0) return undefined;
    const out: Record<string, string | number> = {};
    for (let i = 0; i < n; i++) {
      const k = this.str();
      const tag = this.uint();
      out[k] = tag === 0 ? this.str() : this.number(tag);
    }
    return out;
  }

  optNum(): number | undefined {
    const tag = this.uint();
    return tag === 0 ? undefined : this.number(tag);
  }

  /** The number after optNum's tag 1 (a non-negative integer) or 2 (float64). */
  private number(tag: number): number {
    if (tag === 1) return this.uint();
    if (tag !== 2) throw new PackError(`unknown number tag ${tag}`);
    if (this.at + 8 > this.buf.length) throw new PackError('the pack is truncated');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset).getFloat64(this.at, true);
    this.at += 8;
    return v;
  }

  point(): [number, number] {
    this.x += this.int();
    this.y += this.int();
    return [this.x / NODE_PRECISION, this.y / NODE_PRECISION];
  }

  points(): [number, number][] {
    return Array.from({ length: this.uint() }, () => this.point());
  }

  area(): Polygon | MultiPolygon {
    const kind = this.uint();
    const polygon = () => Array.from({ length: this.uint() }, () => this.points());
    if (kind === 0) return { type: 'Polygon', coordinates: polygon() };
    if (kind === 1) return { type: 'MultiPolygon', coordinates: Array.from({ length: this.uint() }, polygon) };
    throw new PackError(`unknown area kind ${kind}`);
  }
}

/** Sets `key` only when the value is present, so a decoded pack has no `undefined` members. */
function put<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) o[key] = v;
}

export function encodePack(p: PublicPack): Uint8Array {
  const w = new Writer();
  w.uint(p.shelters.length);
  for (const s of p.shelters) {
    w.str(s.id);
    w.str(s.name);
    w.optStr(s.address);
    w.optStr(s.town);
    w.str(s.class);
    w.optNum(s.capacity);
    w.optNum(s.areaM2);
    w.str(s.status);
    w.strs(s.hazards);
    w.uint(s.unsuitable.length);
    for (const u of s.unsuitable) {
      w.str(u.hazard);
      w.str(u.reason);
      w.params(u.params);
    }
    w.strs(s.facilities);
    w.strs(s.accessibility);
    w.uint(s.demo ? 1 : 0);
    w.point(s.lon, s.lat);
  }
  w.uint(p.roads.length);
  for (const r of p.roads) {
    w.str(r.class);
    w.optStr(r.name);
    w.optStr(r.oneway);
    w.optNum(r.speedKmh);
    w.points(r.coords);
  }
  w.area(p.boundary);
  w.uint(p.towns.length);
  for (const t of p.towns) {
    w.str(t.code);
    w.str(t.name);
    w.area(t.geometry);
  }
  w.uint(p.places.length);
  for (const pl of p.places) {
    w.str(pl.name);
    w.str(pl.kind);
    w.point(pl.lon, pl.lat);
  }
  const header: Header = { county: p.county, version: p.version, generatedAt: p.generatedAt, demo: p.demo, strings: w.table };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const body = w.bytes();
  const out = new Uint8Array(9 + json.length + body.length);
  out.set(MAGIC, 0);
  out[4] = PACK_FORMAT;
  new DataView(out.buffer).setUint32(5, json.length, true);
  out.set(json, 9);
  out.set(body, 9 + json.length);
  return out;
}

export function decodePack(bytes: Uint8Array): PublicPack {
  if (bytes.length < 9 || MAGIC.some((b, i) => bytes[i] !== b)) throw new PackError('not a public data pack (no "OMPK" signature)');
  if (bytes[4] !== PACK_FORMAT) throw new PackError(`pack format ${bytes[4]} is not supported (this code reads format ${PACK_FORMAT})`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(5, true);
  if (9 + headerLength > bytes.length) throw new PackError('the pack is truncated');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(9, 9 + headerLength))) as Header;
  const r = new Reader(bytes.subarray(9 + headerLength), header.strings);
  const shelters = Array.from({ length: r.uint() }, (): PackShelter => {
    const id = r.str();
    const name = r.str();
    const address = r.optStr();
    const town = r.optStr();
    const cls = r.str();
    const capacity = r.optNum();
    const areaM2 = r.optNum();
    const status = r.str() as ShelterStatus;
    const hazards = r.strs();
    const unsuitable = Array.from({ length: r.uint() }, (): PackShelter['unsuitable'][number] => {
      const u: PackShelter['unsuitable'][number] = { hazard: r.str(), reason: r.str() };
      put(u, 'params', r.params());
      return u;
    });
    const facilities = r.strs();
    const accessibility = r.strs();
    const demo = r.uint() === 1;
    const [lon, lat] = r.point();
    const s: PackShelter = { id, name, lon, lat, class: cls, status, hazards, unsuitable, facilities, accessibility, demo };
    put(s, 'address', address);
    put(s, 'town', town);
    put(s, 'capacity', capacity);
    put(s, 'areaM2', areaM2);
    return s;
  });
  const roads = Array.from({ length: r.uint() }, (): PackRoad => {
    const road: PackRoad = { coords: [], class: r.str() };
    put(road, 'name', r.optStr());
    put(road, 'oneway', r.optStr());
    put(road, 'speedKmh', r.optNum());
    road.coords = r.points();
    return road;
  });
  const boundary = r.area();
  const towns = Array.from({ length: r.uint() }, (): PackTown => ({ code: r.str(), name: r.str(), geometry: r.area() }));
  const places = Array.from({ length: r.uint() }, (): PackPlace => {
    const name = r.str();
    const kind = r.str() as PlaceKind;
    const [lon, lat] = r.point();
    return { name, kind, lon, lat };
  });
  if (!r.done) throw new PackError('the pack has bytes after its last section');
  return { county: header.county, version: header.version, generatedAt: header.generatedAt, demo: header.demo, shelters, roads, boundary, towns, places };
}
