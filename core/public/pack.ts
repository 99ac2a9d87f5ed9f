/**
 * The public data pack: everything the public shelter finder needs for one county, as one
 * versioned binary file the phone caches and ranks on offline. Isomorphic (no Node/DOM imports).
 */
import type { MultiPolygon, Polygon } from 'geojson';

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
  /** Computed server-side (core/analysis/suitability.ts) without revealing internal geohazard positions. */
  unsuitable: { hazard: string; reason: string }[];
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
