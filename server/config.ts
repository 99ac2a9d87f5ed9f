/** Server configuration, read once from the environment (documented in the README). */
import path from 'node:path';
import type { Basemap } from '../core/basemap.js';
import type { Role } from '../core/catalogue/index.js';
import { DEFAULT_ANALYSIS_CACHE_MB, DEFAULT_CACHE_MB, DEFAULT_FEATURE_CACHE_MB } from './response-cache.js';
import { DEFAULT_WORKERS, type WorkerSettings } from './workers/pool.js';

export type { Basemap };

/** Someone who signs in with a bearer token; `name` is who the audit log records. */
export interface User {
  name: string;
  role: Exclude<Role, 'public'>;
  token: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  adminToken?: string;
  commanderToken?: string;
  /** Everyone with a token: the USERS entries, then ADMIN_TOKEN ("admin") and COMMANDER_TOKEN ("commander"). */
  users: User[];
  basemaps: Basemap[];
  logLevel: string;
  clientDir: string;
  /** Largest import upload, in MB (IMPORT_LIMIT_MB, default 200). */
  importLimitMb: number;
  /** Heavy work off the request path: when an import answers 202 and how long jobs may run. */
  jobs: JobSettings;
  rateLimits: RateLimits;
  /** SEED_DEMO: when start-up loads the demo dataset into an empty store (default auto). */
  seedDemo: SeedDemo;
  /** The worker pool for heavy analyses and exports (WORKER_THREADS, WORKER_MEMORY_MB, WORKER_QUEUE). */
  workers: WorkerSettings;
  /** Bound of the vector tile cache in MB, compressed bodies included (TILE_CACHE_MB, default 64; 0 = off). */
  tileCacheMb: number;
  /** Bound of the feature page cache in MB, compressed bodies included (FEATURE_CACHE_MB, default 32; 0 = off). */
  featureCacheMb: number;
  /** Bound of the cache of network-only analysis answers (isochrones) in MB (ANALYSIS_CACHE_MB, default 16; 0 = off). */
  analysisCacheMb: number;
}

export interface JobSettings {
  /** Uploads larger than this many MB are imported as a job answered 202 (IMPORT_ASYNC_MB, default 5). */
  importAsyncMb: number;
  /** An import stops after this many seconds, counted once the file has arrived (IMPORT_TIME_LIMIT_S, default 1800). */
  importTimeLimitS: number;
  /** An export's encoding stops after this many seconds (EXPORT_TIME_LIMIT_S, default 120). */
  exportTimeLimitS: number;
}

/** Requests per client (IP address) before 429; 0 switches a limit off. */
export interface RateLimits {
  /** Anonymous analyses and exports per minute (RATE_LIMIT_ANALYSIS, default 30). */
  analysisPerMinute: number;
  /** Anonymous API requests of any kind per minute (RATE_LIMIT_PUBLIC, default 600). */
  publicPerMinute: number;
  /** Refused tokens per 15 minutes before that client may not try again (RATE_LIMIT_SIGNIN, default 10). */
  signInFailures: number;
}

/** `auto`: seed an empty embedded store only; `always`: any empty store, DATABASE_URL too; `never`. */
export type SeedDemo = 'auto' | 'always' | 'never';
const SEED_DEMO: SeedDemo[] = ['auto', 'always', 'never'];

function seedDemo(value: string | undefined): SeedDemo {
  const v = nonEmpty(value)?.toLowerCase() ?? 'auto';
  if (!SEED_DEMO.includes(v as SeedDemo)) {
    throw new ConfigError(
      `SEED_DEMO must be auto (seed an empty embedded store), always (any empty store, DATABASE_URL too) or never, got "${value}"`,
    );
  }
  return v as SeedDemo;
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

function megabytes(variable: string, value: string | undefined, fallback: number, max = 4096, zero = ''): number {
  if (!nonEmpty(value)) return fallback;
  const n = Number(value);
  if (!(n >= 0 && n <= max)) throw new ConfigError(`${variable} must be a number of megabytes from 0${zero} to ${max}, got "${value}"`);
  return n;
}

function importLimit(value: string | undefined): number {
  if (!nonEmpty(value)) return 200;
  const n = Number(value);
  if (!(n > 0 && n <= 4096)) throw new ConfigError(`IMPORT_LIMIT_MB must be a number of megabytes from 1 to 4096, got "${value}"`);
  return n;
}

export const MIN_TOKEN_LENGTH = 16;
const USER_ROLES: User['role'][] = ['admin', 'commander'];

/** Every token signs someone in with edit rights: a short one can be guessed, so it stops the server. */
function strongToken(variable: string, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (/\s/.test(token)) throw new ConfigError(`${variable} must not contain spaces`);
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`${variable} has ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} (e.g. openssl rand -hex 16)`);
  }
  return token;
}

/** A whole number ≥ min from the environment. */
function atLeast(variable: string, value: string | undefined, fallback: number, min: number): number {
  if (!nonEmpty(value)) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${variable} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

/** A whole number ≥ 0 from the environment; 0 switches the limit off. */
function count(variable: string, value: string | undefined, fallback: number): number {
  if (!nonEmpty(value)) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${variable} must be a whole number ≥ 0 (0 switches the limit off), got "${value}"`);
  return n;
}

/**
 * `USERS="zhangwei:admin:<token>,lina:commander:<token>"`: named users, so the audit log says who.
 * A token may itself contain ":" (everything after the second colon is the token).
 */
export function parseUsers(value: string | undefined, builtIn: User[] = []): User[] {
  const users: User[] = [];
  const example = 'e.g. USERS="zhangwei:admin:<token>,lina:commander:<token>"';
  for (const [i, raw] of (value ?? '').split(',').entries()) {
    const entry = raw.trim();
    if (!entry) continue;
    const [name = '', role = '', ...rest] = entry.split(':');
    const token = rest.join(':');
    // Only the name is echoed: an entry without colons may be a bare token.
    const where = `USERS entry ${i + 1}${entry.includes(':') ? ` ("${name}")` : ''}`;
    if (!name.trim() || !role || !token) throw new ConfigError(`${where} must be name:role:token, ${example}`);
    if (!/^[^\s:,]+$/u.test(name) || name === 'public') {
      throw new ConfigError(`${where}: the name must be one word without spaces, commas or colons, and not "public"`);
    }
    if (!USER_ROLES.includes(role as User['role'])) throw new ConfigError(`${where}: role "${role}" must be admin or commander`);
    if (/\s/.test(token)) throw new ConfigError(`${where}: the token must not contain spaces`);
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new ConfigError(`${where}: the token has ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} (e.g. openssl rand -hex 16)`);
    }
    users.push({ name, role: role as User['role'], token });
  }
  const all = [...users, ...builtIn];
  for (const [i, u] of all.entries()) {
    const other = all.findIndex((x, j) => j < i && (x.name === u.name || x.token === u.token));
    if (other < 0) continue;
    const what = all[other].name === u.name ? 'name' : 'token';
    throw new ConfigError(
      `USERS: "${u.name}" has the same ${what} as "${all[other].name}"; every user needs their own name and token (ADMIN_TOKEN is the user "admin", COMMANDER_TOKEN the user "commander")`,
    );
  }
  return all;
}

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
  const adminToken = strongToken('ADMIN_TOKEN', nonEmpty(env.ADMIN_TOKEN));
  const commanderToken = strongToken('COMMANDER_TOKEN', nonEmpty(env.COMMANDER_TOKEN));
  const builtIn: User[] = [];
  if (adminToken) builtIn.push({ name: 'admin', role: 'admin', token: adminToken });
  if (commanderToken) builtIn.push({ name: 'commander', role: 'commander', token: commanderToken });
  return {
    port: port(env.PORT),
    host: nonEmpty(env.HOST) ?? '0.0.0.0',
    dataDir: path.resolve(nonEmpty(env.DATA_DIR) ?? 'data'),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    adminToken,
    commanderToken,
    users: parseUsers(env.USERS, builtIn),
    basemaps,
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    clientDir: path.resolve(nonEmpty(env.CLIENT_DIR) ?? 'dist'),
    importLimitMb: importLimit(env.IMPORT_LIMIT_MB),
    jobs: {
      importAsyncMb: megabytes('IMPORT_ASYNC_MB', env.IMPORT_ASYNC_MB, 5),
      importTimeLimitS: atLeast('IMPORT_TIME_LIMIT_S', env.IMPORT_TIME_LIMIT_S, 1800, 1),
      exportTimeLimitS: atLeast('EXPORT_TIME_LIMIT_S', env.EXPORT_TIME_LIMIT_S, 120, 1),
    },
    rateLimits: {
      analysisPerMinute: count('RATE_LIMIT_ANALYSIS', env.RATE_LIMIT_ANALYSIS, 30),
      publicPerMinute: count('RATE_LIMIT_PUBLIC', env.RATE_LIMIT_PUBLIC, 600),
      signInFailures: count('RATE_LIMIT_SIGNIN', env.RATE_LIMIT_SIGNIN, 10),
    },
    seedDemo: seedDemo(env.SEED_DEMO),
    workers: {
      threads: atLeast('WORKER_THREADS', env.WORKER_THREADS, DEFAULT_WORKERS.threads, 1),
      memoryMb: atLeast('WORKER_MEMORY_MB', env.WORKER_MEMORY_MB, DEFAULT_WORKERS.memoryMb, 64),
      queue: atLeast('WORKER_QUEUE', env.WORKER_QUEUE, DEFAULT_WORKERS.queue, 0),
    },
    tileCacheMb: megabytes('TILE_CACHE_MB', env.TILE_CACHE_MB, DEFAULT_CACHE_MB, 65536, ' (no tile cache)'),
    featureCacheMb: megabytes('FEATURE_CACHE_MB', env.FEATURE_CACHE_MB, DEFAULT_FEATURE_CACHE_MB, 65536, ' (no feature page cache)'),
    analysisCacheMb: megabytes('ANALYSIS_CACHE_MB', env.ANALYSIS_CACHE_MB, DEFAULT_ANALYSIS_CACHE_MB, 65536, ' (no analysis answers kept)'),
  };
}
