/**
 * Answers kept in memory — vector tiles (TILE_CACHE_MB), feature pages (FEATURE_CACHE_MB) and
 * isochrones (ANALYSIS_CACHE_MB) — least recently used first out, bounded in bytes, with the HTTP
 * around them: ETags, If-None-Match and content codings. Keys carry what the answer was made from:
 * a layer's version (server/store/layer-watch.ts), an isochrone's road network. A tile or a page
 * also names its family (the same request at any version) and the version it was made at, so the
 * caller can find the newest kept answer of a request and serve it on when the writes since did
 * not touch its box. Older answers age out as new ones come in.
 *
 * Each entry keeps the body as built and, once asked for, its brotli and gzip forms (RFC 9110
 * §8.4.1 content codings), so a repeat costs a map lookup and no compression. Every body counts
 * against the bound.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Request, Response } from 'express';

/** Default bound of the tile cache (TILE_CACHE_MB). */
export const DEFAULT_CACHE_MB = 64;
/** Default bound of the feature page cache (FEATURE_CACHE_MB). */
export const DEFAULT_FEATURE_CACHE_MB = 32;
/** Default bound of the cache of network-only analysis answers, isochrones (ANALYSIS_CACHE_MB). */
export const DEFAULT_ANALYSIS_CACHE_MB = 16;

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** Per-entry bookkeeping, counted as bytes too, so a million empty tiles still hit the bound. */
const ENTRY_OVERHEAD = 64;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Compressed on the libuv thread pool, off the thread that serves requests. Brotli quality 5 and
 * gzip level 6 compress a tile about as fast as each other; quality 11 (the default) would cost a
 * cold tile more than building it.
 */
async function compress(raw: Uint8Array, encoding: Exclude<ContentCoding, 'identity'>): Promise<Uint8Array> {
  const out =
    encoding === 'br'
      ? await brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength } })
      : await gzip(raw, { level: 6 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

interface Entry {
  /** Bodies by content coding; `identity` is the body as built. */
  bodies: Map<ContentCoding, Uint8Array>;
  bytes: number;
  family?: string;
}

/** What an answer is: the same request (`name`) at a layer version. */
export interface Family {
  name: string;
  version: number;
}

export interface CachedBody {
  /** The body as built (what the encoders return). */
  raw: Uint8Array;
  /** The body to send and its content coding (`identity`: the raw body itself). */
  body: Uint8Array;
  encoding: ContentCoding;
  /** The answer was in the cache (it may still have been compressed for this coding now). */
  cached: boolean;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Builds and compressions in progress: concurrent requests for one answer share one of each. */
  private readonly pending = new Map<string, Promise<unknown>>();
  /** The newest kept answer of each family: its key and version. */
  private readonly newest = new Map<string, { key: string; version: number }>();

  constructor(readonly maxBytes: number) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The newest kept answer of a family (undefined when none is kept). */
  latest(family: string): { key: string; version: number } | undefined {
    const held = this.newest.get(family);
    return held && this.entries.has(held.key) ? held : undefined;
  }

  /** The cached body, or the one `build` makes, in the content coding asked for. */
  async get(key: string, build: () => Promise<Uint8Array>, encoding: ContentCoding = 'identity', family?: Family): Promise<CachedBody> {
    let entry = this.entries.get(key);
    const cached = entry !== undefined;
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      const raw = await this.once(key, build);
      entry = this.entries.get(key) ?? this.put(key, raw, family);
    }
    const raw = entry.bodies.get('identity')!;
    // Nothing to gain below a few dozen bytes (an empty tile is 204 with no body at all).
    if (encoding === 'identity' || raw.byteLength < 64) return { raw, body: raw, encoding: 'identity', cached };
    let body = entry.bodies.get(encoding);
    if (!body) {
      body = await this.once(`${encoding} ${key}`, () => compress(raw, encoding));
      this.add(key, entry, encoding, body);
    }
    // A coding that does not shrink the body is not worth the client's decoding.
    return body.byteLength < raw.byteLength ? { raw, body, encoding, cached } : { raw, body: raw, encoding: 'identity', cached };
  }

  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.pending.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make().finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /** Stores a built body (unless it alone exceeds the bound); returns its entry either way. */
  private put(key: string, raw: Uint8Array, family?: Family): Entry {
    const entry: Entry = { bodies: new Map([['identity', raw]]), bytes: raw.byteLength + ENTRY_OVERHEAD, family: family?.name };
    if (entry.bytes > this.maxBytes) return entry;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    if (family) {
      const held = this.latest(family.name);
      if (!held || held.version <= family.version) this.newest.set(family.name, { key, version: family.version });
    }
    this.evict();
    return entry;
  }

  /** Keeps a compressed body with its raw one, if that is still cached. */
  private add(key: string, entry: Entry, encoding: ContentCoding, body: Uint8Array): void {
    if (entry.bodies.has(encoding)) return;
    entry.bodies.set(encoding, body);
    entry.bytes += body.byteLength;
    if (this.entries.get(key) !== entry) return;
    this.bytes += body.byteLength;
    this.evict();
  }

  /** Least recently used out until the bound holds. */
  private evict(): void {
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
      if (e.family && this.newest.get(e.family)?.key === k) this.newest.delete(e.family);
    }
  }
}

/** A strong validator for an answer's key (its layer version, request and caller's view). */
export const etagOf = (key: string): string => `"${createHash('sha1').update(key).digest('base64url').slice(0, 22)}"`;

/**
 * An answer's ETag per content coding: RFC 9110 §8.8.3 asks a strong validator to differ between a
 * representation and its compressed form, so the coding is a suffix of the answer's tag.
 */
const codingSuffix: Record<ContentCoding, string> = { identity: '', gzip: '-gz', br: '-br' };
export const tagFor = (etag: string, encoding: ContentCoding): string => etag.replace(/"$/, `${codingSuffix[encoding]}"`);

/**
 * Brotli or gzip as the client accepts them (RFC 9110 §12.5.3: weights, `*`); brotli where both
 * weigh the same, as it is the smaller (equal weights leave the choice to the server).
 */
export function contentCoding(header: string | undefined): ContentCoding {
  const q: Record<string, number> = {};
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((x) => x.trim());
    if (!coding) continue;
    const weight = params.find((x) => /^q=/.test(x));
    q[coding] = weight ? Number(weight.slice(2)) || 0 : 1;
  }
  const weightOf = (c: string) => q[c] ?? q['*'] ?? 0;
  const [br, gzip] = [weightOf('br'), weightOf('gzip')];
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}

/** If-None-Match (RFC 9110 §13.1.2): `*` or any listed tag of this answer, in any coding, weakly compared. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '').replace(/-(gz|br)"$/, '"');
  return header.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}

/**
 * The caching headers of an answer kept by ResponseCache: anonymous answers may be kept by shared
 * caches (revalidated each time), answers with internal fields may not; the answer differs by
 * token and by content coding. True when the client already holds it: send 304 and nothing else.
 */
export function revalidate(req: Request, res: Response, etag: string): boolean {
  res.set('Cache-Control', req.role === 'public' ? 'public, no-cache' : 'private, no-cache');
  res.vary('Authorization');
  res.vary('Accept-Encoding');
  if (!etagMatches(req.get('if-none-match'), etag)) return false;
  res.set('ETag', tagFor(etag, contentCoding(req.get('accept-encoding'))));
  res.status(304).end();
  return true;
}

/** Sends a cached body with its ETag and coding (the compression middleware leaves an encoded body alone). */
export function sendCached(res: Response, etag: string, answer: CachedBody, type: string, cacheHeader: string): void {
  res.set('ETag', tagFor(etag, answer.encoding));
  res.set(cacheHeader, answer.cached ? 'hit' : 'miss');
  if (answer.encoding !== 'identity') res.set('Content-Encoding', answer.encoding);
  res.type(type).send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
}
