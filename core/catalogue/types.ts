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
  /** Standard or plan this field's values follow, shown in the UI. */
  basis?: string;
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
}
