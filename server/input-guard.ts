/**
 * Input hygiene for every API request, before any route sees it: control characters in the path,
 * the query string and JSON bodies are bad input (400 naming where), and JSON nested deeper than
 * MAX_JSON_DEPTH is refused before any recursive code (zod, turf, the store) walks it.
 */
import type { RequestHandler } from 'express';
import { describeControlCharacter } from '../core/text.js';
import { badRequest } from './errors.js';

/** GeoJSON MultiPolygons nest 4 deep inside a Feature inside a FeatureCollection; 64 leaves room. */
export const MAX_JSON_DEPTH = 64;

type Problem = { kind: 'depth'; path: string } | { kind: 'control'; path: string; what: string };

/**
 * Walks a parsed JSON value without recursion (JSON.parse itself copes with any depth; the
 * recursive code after it would not): the first string holding a control character, or the first
 * place nested deeper than MAX_JSON_DEPTH.
 */
export function inspectJson(value: unknown): Problem | undefined {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const what = describeControlCharacter(v);
      if (what) return { kind: 'control', path, what };
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) return { kind: 'depth', path };
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      } else {
        for (const [k, x] of Object.entries(v).reverse()) {
          const at = path ? `${path}.${k}` : k;
          const what = describeControlCharacter(k);
          if (what) return { kind: 'control', path: at, what };
          stack.push({ v: x, path: at, depth: depth + 1 });
        }
      }
    }
  }
  return undefined;
}

export const rejectControlCharacters: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw badRequest('path', `The URL path "${req.path}" has a malformed %-escape. Encode the path with encodeURIComponent.`);
  }
  const inPath = describeControlCharacter(path);
  if (inPath) throw badRequest('path', `The URL path has a ${inPath}; feature ids and layer names never contain control characters.`);
  for (const [name, raw] of Object.entries(req.query)) {
    for (const v of [name, ...(Array.isArray(raw) ? raw : [raw])]) {
      const what = typeof v === 'string' ? describeControlCharacter(v) : undefined;
      if (what) throw badRequest(name, `"${name}" has a ${what}; remove it and send the request again.`);
    }
  }
  if (req.body !== undefined && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
    const found = inspectJson(req.body);
    if (found) {
      const parameter = found.path.split(/[.[]/)[0] || 'body';
      const where = found.path ? ` at "${found.path}"` : '';
      throw badRequest(
        parameter,
        found.kind === 'depth'
          ? `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep${where}; no request of this API needs that. Send flatter JSON.`
          : `The JSON body${where} has a ${found.what}; remove it and send the request again.`,
      );
    }
  }
  next();
};
