/**
 * Roles and actors from bearer tokens. No token is the public role; a configured token unlocks
 * internal layers and fields and names the user the audit log records. A token that matches
 * nothing is refused rather than silently downgraded, so a commander with a mistyped token sees an
 * error, not an emptier map.
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Role } from '../core/catalogue/index.js';
import type { User } from './config.js';
import { ApiError } from './errors.js';

const digest = (s: string): Buffer => crypto.createHash('sha256').update(s).digest();

export interface Principal {
  role: Role;
  /** Who: the user's name, or "public" without a token. */
  actor: string;
}

/** Commanders and admins may edit features; the public may not. */
export const canEdit = (role: Role): boolean => role !== 'public';

export const PUBLIC: Principal = { role: 'public', actor: 'public' };

export function principalOf(header: string | undefined, users: readonly User[]): Principal {
  if (!header) return PUBLIC;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new ApiError(401, 'unauthorized', 'Authorization header must be "Bearer <token>".');
  const token = digest(m[1]);
  // Compare against every user, in constant time each, so timing does not tell which one matched.
  let found: User | undefined;
  for (const u of users) if (crypto.timingSafeEqual(token, digest(u.token)) && !found) found = u;
  if (found) return { role: found.role, actor: found.name };
  throw new ApiError(401, 'unauthorized', 'Unknown token: check USERS / ADMIN_TOKEN / COMMANDER_TOKEN on the server, or sign out to continue as the public.');
}

declare module 'express-serve-static-core' {
  interface Request {
    role: Role;
    /** Who is calling, for the audit log: a user name, "admin", "commander" or "public". */
    actor: string;
  }
}

export const authenticate =
  (config: { users: readonly User[] }): RequestHandler =>
  (req, _res, next) => {
    const p = principalOf(req.get('authorization'), config.users);
    req.role = p.role;
    req.actor = p.actor;
    next();
  };
