/**
 * Roles from bearer tokens. No token is the public role; a configured token unlocks internal
 * layers and fields. A token that matches nothing is refused rather than silently downgraded,
 * so a commander with a mistyped token sees an error, not an emptier map.
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Role } from '../core/catalogue/index.js';
import { ApiError } from './errors.js';

const same = (a: string, b: string): boolean => {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
};

export function roleOf(header: string | undefined, tokens: { adminToken?: string; commanderToken?: string }): Role {
  if (!header) return 'public';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new ApiError(401, 'unauthorized', 'Authorization header must be "Bearer <token>".');
  const token = m[1];
  if (tokens.adminToken && same(token, tokens.adminToken)) return 'admin';
  if (tokens.commanderToken && same(token, tokens.commanderToken)) return 'commander';
  throw new ApiError(401, 'unauthorized', 'Unknown token: check ADMIN_TOKEN / COMMANDER_TOKEN on the server, or sign out to continue as the public.');
}

declare module 'express-serve-static-core' {
  interface Request {
    role: Role;
  }
}

export const authenticate =
  (tokens: { adminToken?: string; commanderToken?: string }): RequestHandler =>
  (req, _res, next) => {
    req.role = roleOf(req.get('authorization'), tokens);
    next();
  };
