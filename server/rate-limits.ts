/**
 * Per-client limits (by IP address; behind a proxy, `trust proxy` decides which address counts):
 * refused tokens, anonymous analyses and exports, and anonymous API traffic as a whole. Signed-in
 * commanders and admins are never throttled by the two anonymous limits — in an incident they
 * must not be. Each answers 429 with Retry-After and the API's error shape.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { RateLimits } from './config.js';
import { ApiError } from './errors.js';

const MINUTE = 60_000;
const pass: RequestHandler = (_req, _res, next) => next();

function limiter(limit: number, windowMs: number, code: string, message: string, extra: Partial<Options>): RequestHandler {
  if (limit === 0) return pass;
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: (req, _res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : Math.ceil(windowMs / 1000);
      next(new ApiError(429, code, `${message} Try again in ${seconds} s.`));
    },
    ...extra,
  });
}

/** Before authentication: counts only the requests whose token was refused (401). */
export const signInLimit = (limits: RateLimits): RequestHandler =>
  limiter(limits.signInFailures, 15 * MINUTE, 'too_many_sign_in_failures', `Too many refused tokens from this address (${limits.signInFailures} in 15 minutes).`, {
    skip: (req) => !req.get('authorization'),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
  });

const EXPENSIVE = /^\/(analysis\/|export$|layers\/[^/]+\/export$)/;

/** After authentication: anonymous callers only. */
export const publicLimits = (limits: RateLimits): RequestHandler[] => [
  limiter(limits.publicPerMinute, MINUTE, 'rate_limited', `More than ${limits.publicPerMinute} requests a minute from this address.`, {
    skip: (req) => req.role !== 'public',
  }),
  limiter(limits.analysisPerMinute, MINUTE, 'rate_limited', `More than ${limits.analysisPerMinute} analyses or exports a minute from this address; each one takes the server real work.`, {
    skip: (req) => req.role !== 'public' || !EXPENSIVE.test(req.path),
  }),
];
