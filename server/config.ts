/** Server configuration, read once from the environment (documented in the README). */
import path from 'node:path';
import type { Basemap } from '../core/basemap.js';

export type { Basemap };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  adminToken?: string;
  commanderToken?: string;
  basemaps: Basemap[];
  logLevel: string;
  clientDir: string;
}

export class ConfigError extends Error {}

function port(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${value}"`);
  }
  return n;
}

const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() ? v.trim() : undefined);

/** Tianditu (天地图) WMTS in Web Mercator: vector or imagery, each with its Chinese annotation layer. */
function tianditu(token: string): Basemap[] {
  const wmts = (layer: string): string[] =>
    [0, 1, 2, 3, 4, 5, 6, 7].map(
      (i) =>
        `https://t${i}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
        `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILECOL={x}&TILEROW={y}&TILEMATRIX={z}&tk=${encodeURIComponent(token)}`,
    );
  const attribution = '© 天地图 Tianditu (国家地理信息公共服务平台)';
  return [
    { id: 'tianditu-vec', name: { zh: '天地图 矢量', en: 'Tianditu map' }, tiles: wmts('vec'), labels: wmts('cva'), attribution, maxzoom: 18 },
    { id: 'tianditu-img', name: { zh: '天地图 影像', en: 'Tianditu imagery' }, tiles: wmts('img'), labels: wmts('cia'), attribution, maxzoom: 18 },
  ];
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const basemaps: Basemap[] = [];
  const tk = nonEmpty(env.TIANDITU_TOKEN);
  if (tk) basemaps.push(...tianditu(tk));
  const xyz = nonEmpty(env.BASEMAP_TILES);
  if (xyz) {
    if (!xyz.includes('{z}') || !xyz.includes('{x}') || !xyz.includes('{y}')) {
      throw new ConfigError(`BASEMAP_TILES must be an XYZ URL template with {z}, {x} and {y}, got "${xyz}"`);
    }
    basemaps.push({
      id: 'xyz',
      name: { zh: '在线底图', en: 'Online basemap' },
      tiles: [xyz],
      attribution: nonEmpty(env.BASEMAP_ATTRIBUTION) ?? '© OpenStreetMap contributors',
      maxzoom: 19,
    });
  }
  return {
    port: port(env.PORT),
    host: nonEmpty(env.HOST) ?? '0.0.0.0',
    dataDir: path.resolve(nonEmpty(env.DATA_DIR) ?? 'data'),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    adminToken: nonEmpty(env.ADMIN_TOKEN),
    commanderToken: nonEmpty(env.COMMANDER_TOKEN),
    basemaps,
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    clientDir: path.resolve(nonEmpty(env.CLIENT_DIR) ?? 'dist'),
  };
}
