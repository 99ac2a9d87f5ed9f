/**
 * A worker thread running one of the server's modules, as the sources are run: under tsx (npm
 * start, tests) a thread's own entry cannot be TypeScript (--import tsx applies to what it
 * imports, not to the entry), so a two-line entry registers tsx, then imports the module.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** tsx's ESM API (its CommonJS twin resolves its parts wrongly when required from a thread's entry). */
const TSX_ESM_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;

export function startThread(file: string, options: WorkerOptions = {}): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, options);
  const entry = `import(${JSON.stringify(TSX_ESM_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(entry, { ...options, eval: true });
}
