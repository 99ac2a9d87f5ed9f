/**
 * Files served from memory, compressed once: each text file (the built client, a public pack, the
 * manifest) is kept as identity bytes plus brotli and gzip variants made the first time it is
 * asked for (or by warm() at start-up), never per request. The representation follows
 * Accept-Encoding; each has its own strong ETag (RFC 9110 §8.8.3: a strong validator differs per
 * content coding) and If-None-Match answers 304.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export interface Resource {
  type: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  /** Hash of the identity bytes; the ETags are `"<hash>"`, `"<hash>-br"`, `"<hash>-gz"`. */
  hash: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.pack': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const typeOf = (file: string): string => TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** Already-compressed formats gain nothing from brotli or gzip. */
const PRECOMPRESSED_TYPES = /^(image\/(png|jpeg|webp)|font\/woff2)/;

/** Variants smaller than this share of the identity bytes are kept (a pack of varints shrinks less than JSON). */
const WORTH_IT = 0.95;

export async function precompress(identity: Buffer, type: string): Promise<Resource> {
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 22);
  const r: Resource = { type, identity, hash };
  if (PRECOMPRESSED_TYPES.test(type) || identity.length < 256) return r;
  const [br, gz] = await Promise.all([
    brotli(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    gzip(identity, { level: 9 }),
  ]);
  if (br.length < identity.length * WORTH_IT) r.br = br;
  if (gz.length < identity.length * WORTH_IT) r.gzip = gz;
  return r;
}

const ETAG_SUFFIX = { identity: '', br: '-br', gzip: '-gz' } as const;

/** Sends a resource with the representation the client accepts, its ETag, or 304. */
export function sendResource(req: Request, res: Response, r: Resource, cacheControl: string): void {
  const offered = (['br', 'gzip'] as const).filter((e) => r[e]);
  const encoding = offered.length ? ((req.acceptsEncodings(...offered, 'identity') || 'identity') as keyof typeof ETAG_SUFFIX) : 'identity';
  const body = encoding === 'identity' ? r.identity : r[encoding]!;
  const etag = `"${r.hash}${ETAG_SUFFIX[encoding]}"`;
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', etag);
  if (offered.length) res.setHeader('Vary', 'Accept-Encoding');
  const inm = req.headers['if-none-match'];
  if (inm && (inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', r.type);
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', body.length);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** Cache-Control of a built client file: hashed assets forever, pages and the service worker revalidated. */
export const clientCacheControl = (rel: string): string => (rel.startsWith('assets/') ? IMMUTABLE : REVALIDATE);

/**
 * Compressed client files by path, size and modification time, for every app of this process:
 * brotli at its best quality costs seconds of CPU for the whole client, so an app made again on the
 * same build (tests make one per file) does not pay it again. One entry per path.
 */
const compressedFiles = new Map<string, { stamp: string; resource: Promise<Resource> }>();

function compressedFile(file: string): Promise<Resource | undefined> {
  return fs.promises.stat(file).then(
    (st) => {
      const stamp = `${st.size}:${st.mtimeMs}`;
      const known = compressedFiles.get(file);
      if (known?.stamp === stamp) return known.resource;
      const resource = fs.promises.readFile(file).then((bytes) => precompress(bytes, typeOf(file)));
      compressedFiles.set(file, { stamp, resource });
      resource.catch(() => compressedFiles.get(file)?.resource === resource && compressedFiles.delete(file));
      return resource;
    },
    () => undefined,
  );
}

/**
 * The built client (dist/), each file read and compressed once. Pages: `/` is index.html (and any
 * path that is no file, for the one-map's links), `/shelters/` is shelters/index.html.
 */
export function clientFiles(root: string): {
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  /** Reads and compresses every file now (in the background at start-up). */
  warm(): Promise<number>;
} {
  const cache = new Map<string, Promise<Resource | undefined>>();
  const load = (rel: string): Promise<Resource | undefined> => {
    let p = cache.get(rel);
    if (!p) {
      p = compressedFile(path.join(root, rel)).catch(() => undefined);
      cache.set(rel, p);
      // A missing file may be built later: do not remember its absence.
      void p.then((r) => r ?? cache.delete(rel));
    }
    return p;
  };

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(req.path).replace(/^\/+/, '');
    } catch {
      next();
      return;
    }
    if (rel.includes('\0') || path.posix.normalize(rel).startsWith('..') || rel.split('/').includes('..')) {
      next();
      return;
    }
    if (req.path === '/shelters') {
      res.redirect(301, '/shelters/' + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''));
      return;
    }
    // A path without an extension ("/plan/", "/admin/x") may be a client route rather than a file.
    const route = !path.posix.extname(rel);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const isPage = (f: string) => f.endsWith('.html');
    void (async () => {
      let r = await load(rel);
      let served = rel;
      if (!r && route && !rel.startsWith('assets/') && !rel.startsWith('shelters/data/')) {
        // A client route rather than a file: the page of its shell.
        served = rel.startsWith('shelters/') ? 'shelters/index.html' : 'index.html';
        r = await load(served);
      }
      if (!r) {
        next();
        return;
      }
      sendResource(req, res, r, isPage(served) ? REVALIDATE : clientCacheControl(served));
    })().catch(next);
  };

  async function warm(): Promise<number> {
    const files = (await fs.promises.readdir(root, { recursive: true, withFileTypes: true }))
      .filter((d) => d.isFile())
      .map((d) => path.relative(root, path.join(d.parentPath, d.name)).split(path.sep).join('/'));
    for (const f of files) await load(f);
    return files.length;
  }

  return { middleware, warm };
}
