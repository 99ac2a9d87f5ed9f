/**
 * PostGIS for the embedded store, loaded lean. pglite-postgis ships one 20 MB bundle that PGlite
 * gunzips, untars and dynamically links on every start, and three of its 16 MB WebAssembly
 * libraries are linked each time: postgis-3, postgis_raster-3 and postgis_topology-3. The store
 * only ever creates `postgis` (migrations/001), so a copy of the bundle without raster, topology,
 * the tiger geocoder and the manual-install scripts is written once (gzip level 1, fast to
 * inflate) and handed to PGlite instead: a third of the linking and unpacking on every start.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

/** Entries of the bundle the store never needs (extensions it never creates, manual-install SQL). */
const UNUSED = /raster|topology|tiger|unpackaged|^share\/postgresql\/contrib\//;

const BLOCK = 512;

function entryName(header: Buffer): string {
  const field = (start: number, len: number) => {
    const raw = header.subarray(start, start + len);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? len : end).toString('utf8');
  };
  const prefix = field(345, 155);
  const name = field(0, 100);
  return prefix ? `${prefix}/${name}` : name;
}

/**
 * The tar without the unused entries. A pax ('x') or GNU long-name ('L') header belongs to the
 * entry after it, so it is kept or dropped with that entry.
 */
export function leanTar(tar: Buffer): Buffer {
  const kept: Buffer[] = [];
  let pending: Buffer[] = [];
  let off = 0;
  while (off + BLOCK <= tar.length) {
    const header = tar.subarray(off, off + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(header.subarray(124, 136).toString('ascii').replace(/\0/g, '').trim() || '0', 8);
    const end = off + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const block = tar.subarray(off, end);
    const type = String.fromCharCode(header[156]);
    if (type === 'x' || type === 'L' || type === 'g') pending.push(block);
    else {
      if (!UNUSED.test(entryName(header))) kept.push(...pending, block);
      pending = [];
    }
    off = end;
  }
  kept.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(kept);
}

const SOURCE = path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz');

/** Where the lean copy lives: node_modules/.cache (the usual place for a package's derived files). */
function cacheFile(): string {
  const stat = fs.statSync(SOURCE);
  const modules = SOURCE.slice(0, SOURCE.lastIndexOf(`${path.sep}node_modules${path.sep}`) + '/node_modules'.length);
  return path.join(modules, '.cache', 'onemap', `postgis-lean-${stat.size}-${Math.round(stat.mtimeMs)}.tar.gz`);
}

/** The lean bundle's path, written on first use; the full bundle if it cannot be written. */
export function leanBundle(): string {
  try {
    const file = cacheFile();
    if (fs.existsSync(file)) return file;
    const lean = zlib.gzipSync(leanTar(zlib.gunzipSync(fs.readFileSync(SOURCE))), { level: 1 });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, lean);
    fs.renameSync(tmp, file);
    return file;
  } catch {
    return SOURCE;
  }
}

/** pglite-postgis's own setup (its environment for PROJ and GDAL), with the lean bundle. */
export const leanPostgis: Extension = {
  name: 'postgis',
  setup: async (pg, emscriptenOpts) => {
    const setup = await postgis.setup(pg, emscriptenOpts);
    return { ...setup, bundlePath: pathToFileURL(leanBundle()) };
  },
};
