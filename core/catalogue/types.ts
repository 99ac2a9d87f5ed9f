/** Types of the layer catalogue: the one description of every layer that server, client and tests read. */

export type Role = 'public' | 'commander' | 'admin';

/** Who may see a layer or field: everyone, or only users with a configured token. */
export type Access = 'public' | 'internal';

export type GeometryKind = 'Point' | 'LineString' | 'Polygon';

export interface Label {
  zh: string;
  en: string;
}

export interface EnumOption extends Label {
  value: string;
  /** Colour used by the legend and map when the layer is symbolised by this field. */
  color?: string;
  /** For `items` fields: the unit a quantity of this item is counted in. */
  unit?: Label;
  /**
   * Other words bureaus' tables use for this value (室内 for 室内型), and for an item the census
   * column header that counts it (应急灯 for floodlights); the import maps them.
   */
  aliases?: string[];
}

/**
 * `items` is a list of `{ item, quantity }` (e.g. a depot's inventory); the field's options name
 * the item kinds with their units.
 */
export type FieldType = 'string' | 'integer' | 'number' | 'enum' | 'enum[]' | 'items';

export interface FieldDef {
  name: string;
  type: FieldType;
  label: Label;
  unit?: Label;
  access: Access;
  /** For enum and enum[] fields: the allowed values; for items fields: the item kinds. */
  options?: EnumOption[];
  /** Offered as a filter in the client and accepted as `?<name>=` by the API. */
  filter?: boolean;
  /** Searched by `?q=`. */
  search?: boolean;
  /**
   * Standard or plan this field's values follow, shown in the UI: a citation alone ("GB 51143-2015
   * §2.1.7") reads the same in both languages; one with words is a zh/en label.
   */
  basis?: string | Label;
  /** Other names a bureau's spreadsheet uses for this field (Chinese header words); the import maps them. */
  aliases?: string[];
  /**
   * Every feature carries it (a facility without a name cannot be found, dispatched or warned): an
   * imported row or a new feature without it is rejected, and an edit cannot empty it.
   */
  required?: boolean;
  /** Its demo values are Notes (`demo:<code> {…}`, core/catalogue/provenance.ts), shown in the reader's language. */
  provenance?: boolean;
}

export interface Symbol {
  /** Fill or stroke colour when not symbolised by a field. */
  color: string;
  /** Enum field whose option colours symbolise the features. */
  by?: string;
  /** Point radius in pixels. */
  radius?: number;
  /** One-character glyph drawn on point symbols in the legend and map. */
  glyph?: string;
}

/**
 * What a layer is FOR beyond being drawn: the server finds the boundary, the road network and the
 * population source by role, never by id. Each role names the fields it reads.
 */
export interface LayerRoles {
  /** Administrative boundaries: counties and their towns; fills `county_code` of located features. */
  boundary?: { code: string; name: string; level: string; county: string; town: string; countyCode: string };
  /** Resident population per boundary unit: the analyses' population surface is spread from it. */
  population?: { field: string };
  /** The road network the analyses route on (attributes read by core/network/graph.ts). */
  network?: { class: string; speed: string; oneway: string };
  /**
   * Hazard zoning (flood risk, geohazard threat, other risk maps): areas where a facility is exposed
   * to a hazard. `hazard` holds values of the shelters' hazard list; `level` the zone's risk level.
   */
  hazard_zone?: { hazard: string; level: string };
}

export type LayerRole = keyof LayerRoles;

/**
 * Which features of a facility layer serve today. `inService` lists the values that count;
 * `notInService` (the alternative) lists the ones that do not, so a record without a status counts.
 * `planned` is the value of a planned facility (drawn hollow; a siting candidate).
 */
export interface ServiceRule {
  field: string;
  inService?: string[];
  notInService?: string[];
  planned: string;
}

export interface LayerDef {
  id: string;
  name: Label;
  description: Label;
  geometry: GeometryKind;
  access: Access;
  fields: FieldDef[];
  symbol: Symbol;
  /** Shown by default when the map opens. */
  visible: boolean;
  /** Draw order: higher on top. */
  order: number;
  roles?: LayerRoles;
  /** Facility layers: which features are in service and which are planned. */
  service?: ServiceRule;
}
