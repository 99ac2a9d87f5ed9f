/** An online basemap the server offers (config) and the client draws: XYZ raster tiles. */
export interface Basemap {
  id: string;
  name: { zh: string; en: string };
  /** XYZ tile URL templates; several entries are mirrors of one service. */
  tiles: string[];
  /** Optional annotation (label) tiles drawn over the basemap. */
  labels?: string[];
  attribution: string;
  maxzoom: number;
}
