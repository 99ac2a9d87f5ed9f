/**
 * The public shelter finder as plain files: the built public shell (shelters/index.html, its
 * service worker and every asset they load) and the data (manifest and packs), each text file with
 * `.br` and `.gz` siblings, laid out at the URLs the Express server uses, so any static web server
 * or CDN serves the page identically.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/index.js';
import { precompress, typeOf, type Resource } from '../static.js';
import { publicData } from './routes.js';

export interface Publication {
  /** Paths written, relative to the output folder, without the .br/.gz siblings. */
  files: string[];
  bytes: number;
}

/** The public shell's own files: everything but assets/, which are copied as referenced. */
const SHELL = 'shelters';

/** References to hashed assets: `assets/x.js` from pages and the worker, `./x.js` between assets. */
const ASSET_REF = /(?:\/?assets\/|\.\/)([\w.-]+\.(?:js|mjs|css|wasm|png|svg|webp|woff2|json))/g;

/** The assets the public shell can load: from its page and service worker, then what those load. */
export function shellAssets(clientDir: string): string[] {
  const shell = path.join(clientDir, SHELL);
  if (!fs.existsSync(path.join(shell, 'index.html'))) {
    throw new Error(`${path.join(shell, 'index.html')} is missing: build the client first (npm run build).`);
  }
  const found = new Set<string>();
  const queue: string[] = [];
  const scan = (text: string): void => {
    for (const m of text.matchAll(ASSET_REF)) {
      const name = m[1];
      if (!found.has(name) && fs.existsSync(path.join(clientDir, 'assets', name))) {
        found.add(name);
        if (/\.(m?js|css)$/.test(name)) queue.push(name);
      }
    }
  };
  for (const f of fs.readdirSync(shell, { recursive: true }) as string[]) {
    const full = path.join(shell, f);
    if (fs.statSync(full).isFile() && /\.(html|m?js|css|json|webmanifest)$/.test(f)) scan(fs.readFileSync(full, 'utf8'));
  }
  while (queue.length) scan(fs.readFileSync(path.join(clientDir, 'assets', queue.pop()!), 'utf8'));
  return [...found].sort().map((n) => `assets/${n}`);
}

function write(outDir: string, rel: string, r: Resource): number {
  const file = path.join(outDir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, r.identity);
  if (r.br) fs.writeFileSync(`${file}.br`, r.br);
  if (r.gzip) fs.writeFileSync(`${file}.gz`, r.gzip);
  return r.identity.length;
}

/**
 * Writes the public shell from `clientDir` and the store's current packs into `outDir`. Nothing is
 * deleted: packs of an earlier publication stay, so a phone holding an older manifest still gets its pack.
 */
export async function publishPublic(db: Db, clientDir: string, outDir: string): Promise<Publication> {
  const shellFiles = (fs.readdirSync(path.join(clientDir, SHELL), { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(clientDir, SHELL, f)).isFile())
    .map((f) => `${SHELL}/${f.split(path.sep).join('/')}`);
  const sources = [...shellFiles, ...shellAssets(clientDir)];
  const data = await publicData(db)();
  const files: string[] = [];
  let bytes = 0;
  for (const rel of sources) {
    bytes += write(outDir, rel, await precompress(fs.readFileSync(path.join(clientDir, rel)), typeOf(rel)));
    files.push(rel);
  }
  for (const [name, r] of data.packs) {
    const rel = `${SHELL}/data/packs/${name}`;
    bytes += write(outDir, rel, r);
    files.push(rel);
  }
  const manifest = `${SHELL}/data/manifest.json`;
  bytes += write(outDir, manifest, data.manifest);
  files.push(manifest);
  return { files, bytes };
}
