/**
 * The GDAL worker: GDAL compiled to WebAssembly (npm gdal3.js, LGPL) in a worker thread, so that
 * reading or writing a file never blocks the server's event loop. Plain JavaScript, since a
 * worker loads without the TypeScript loader; server/formats/gdal.ts is its only caller and holds
 * the types. Requests are answered one at a time, in order (GDAL's WebAssembly heap is one).
 *
 * The host file system is mounted at /host, so paths are the host's with that prefix; outputs are
 * written to the in-memory /output folder, handed back as bytes and deleted.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const HOST = '/host';
const OF_VECTOR = 0x04;
const OF_UPDATE = 0x01;

let ready;
let errors = [];

function init() {
  ready ??= (async () => {
    const dist = path.join(path.dirname(require.resolve('gdal3.js/package.json')), 'dist/package');
    const initGdalJs = require('gdal3.js/node.js');
    // gdal3.js reads its .data package relative to the working directory.
    const gdal = await initGdalJs({
      path: path.relative(process.cwd(), dist) || '.',
      useWorker: false,
      logHandler: () => undefined,
      errorHandler: (message) => {
        if (!/^Warning 1: No SRS set/.test(message)) errors.push(message);
      },
    });
    const M = gdal.Module;
    M.FS.mkdir(HOST);
    M.FS.mount(M.NODEFS, { root: '/' }, HOST);
    return {
      gdal,
      M,
      openEx: M.cwrap('GDALOpenEx', 'number', ['string', 'number', 'number', 'number', 'number']),
      close: M.cwrap('GDALClose', null, ['number']),
    };
  })();
  return ready;
}

/** Opens a host path (optionally through a GDAL virtual file system such as /vsizip/) with open options. */
function openDataset(g, file, openOptions = [], update = false) {
  const M = g.M;
  const strings = openOptions.map((o) => {
    const n = M.lengthBytesUTF8(o) + 1;
    const p = M._malloc(n);
    M.stringToUTF8(o, p, n);
    return p;
  });
  const list = M._malloc(4 * (strings.length + 1));
  M.HEAPU32.set(Uint32Array.from([...strings, 0]), list / 4);
  const full = file.startsWith('/vsi') ? file.replace(/^(\/vsi[a-z]+\/)/, `$1${HOST}`) : HOST + file;
  const pointer = g.openEx(full, OF_VECTOR | (update ? OF_UPDATE : 0), 0, list, 0);
  for (const p of strings) M._free(p);
  M._free(list);
  if (!pointer) throw new Error(errors.join('; ') || `GDAL cannot open ${path.basename(file)}`);
  return { pointer, path: path.basename(file), type: 'vector' };
}

/** Files ogr2ogr wrote under /output for `name`, as bytes by file name, then deleted. */
function takeOutput(g, name) {
  const out = {};
  for (const f of g.M.FS.readdir('/output')) {
    if (f === '.' || f === '..' || !f.startsWith(name)) continue;
    const p = `/output/${f}`;
    if (g.M.FS.isDir(g.M.FS.stat(p).mode)) {
      for (const inner of g.M.FS.readdir(p)) {
        if (inner === '.' || inner === '..') continue;
        out[`${f}/${inner}`] = g.M.FS.readFile(`${p}/${inner}`);
        g.M.FS.unlink(`${p}/${inner}`);
      }
      g.M.FS.rmdir(p);
    } else {
      out[f] = g.M.FS.readFile(p);
      g.M.FS.unlink(p);
    }
  }
  return out;
}

let counter = 0;
/** Parsed feature lists handed out a batch at a time (openFeatures → featureBatch … → release). */
const held = new Map();

const OPS = {
  /** Layers of a dataset: name, geometry type, feature count, fields, CRS (WKT). */
  async info(g, { file, openOptions }) {
    const ds = openDataset(g, file, openOptions);
    try {
      const info = await g.gdal.ogrinfo(ds, ['-json', '-so']);
      const layers = (info.layers ?? []).map((l) => ({
        name: l.name,
        geometryType: l.geometryFields?.[0]?.type ?? 'None',
        featureCount: l.featureCount ?? 0,
        fields: (l.fields ?? []).map((f) => f.name),
        wkt: l.geometryFields?.[0]?.coordinateSystem?.wkt ?? null,
      }));
      // Some drivers (MapInfo .mif) give the CRS to the layer but not to its geometry field, which
      // is what the JSON summary reports; ogr2ogr takes the layer's, so an empty shapefile's .prj has it.
      for (const l of layers) {
        if (l.wkt || l.geometryType === 'None') continue;
        const name = `p${++counter}`;
        await g.gdal.ogr2ogr(ds, ['-f', 'ESRI Shapefile', '-limit', '0', l.name], name);
        const prj = takeOutput(g, name)[`${name}.prj`];
        if (prj) l.wkt = new TextDecoder().decode(prj);
      }
      return layers;
    } finally {
      g.close(ds.pointer);
    }
  },

  /** ogr2ogr from a host path into /output; the written files by name. */
  async translate(g, { file, openOptions, options }) {
    const ds = openDataset(g, file, openOptions);
    const name = `t${++counter}`;
    try {
      await g.gdal.ogr2ogr(ds, options, name);
      return takeOutput(g, name);
    } finally {
      g.close(ds.pointer);
    }
  },

  /**
   * ogr2ogr of one layer to GeoJSON, parsed here and kept: the caller takes the features a batch
   * at a time, so the main thread never parses (or receives) the whole layer at once.
   */
  async openFeatures(g, { file, openOptions, options }) {
    const out = await OPS.translate(g, { file, openOptions, options });
    const doc = JSON.parse(new TextDecoder().decode(Object.values(out)[0]));
    const handle = ++counter;
    held.set(handle, doc.features ?? []);
    return { handle, count: held.get(handle).length, crs: doc.crs ?? null };
  },

  featureBatch(g, { handle, start, size }) {
    return (held.get(handle) ?? []).slice(start, start + size);
  },

  release(g, { handle }) {
    held.delete(handle);
    return null;
  },

  /** Runs SQL (e.g. the GeoPackage function CreateSpatialIndex) on a host file opened for update. */
  async sql(g, { file, sql }) {
    const ds = openDataset(g, file, [], true);
    try {
      await g.gdal.ogrinfo(ds, ['-sql', sql]);
      return null;
    } finally {
      g.close(ds.pointer);
    }
  },
};

parentPort.on('message', async ({ id, op, args }) => {
  errors = [];
  try {
    const g = await init();
    const result = await OPS[op](g, args);
    parentPort.postMessage({ id, result, warnings: errors });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err?.message ?? err), warnings: errors });
  }
});
