/** `GET /api/audit`: the audit log, newest first, for administrators only. */
import { Router } from 'express';
import { findLayer } from '../../core/catalogue/index.js';
import { ApiError, badRequest } from '../errors.js';
import { AUDIT_ACTIONS, listAudit, type AuditAction, type Db } from '../store/index.js';
import { integer, isoDateTime, single } from './feature-params.js';

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;
const PARAMS = ['layer', 'fid', 'actor', 'action', 'since', 'limit', 'offset'];

export function auditRoutes(db: Db): Router {
  const r = Router();

  r.get('/audit', async (req, res) => {
    if (req.role === 'public') throw new ApiError(401, 'unauthorized', 'The audit log needs an admin token: send "Authorization: Bearer <token>".');
    if (req.role !== 'admin') {
      throw new ApiError(403, 'forbidden', `The audit log is for administrators; you are signed in as "${req.actor}" (${req.role}). Ask an administrator, or sign in with an admin token.`);
    }
    const query = req.query as Record<string, unknown>;
    const unknown = Object.keys(query).find((k) => !PARAMS.includes(k));
    if (unknown) throw badRequest(unknown, `Unknown parameter "${unknown}". Allowed: ${PARAMS.join(', ')}.`);
    const layer = single(query, 'layer');
    if (layer !== undefined && !findLayer(layer)) throw badRequest('layer', `No layer "${layer}". GET /api/layers lists the layers.`);
    const action = single(query, 'action');
    if (action !== undefined && !AUDIT_ACTIONS.includes(action as AuditAction)) {
      throw badRequest('action', `"action" must be one of ${AUDIT_ACTIONS.join(', ')}, got "${action}".`);
    }
    const sinceRaw = single(query, 'since');
    const since = sinceRaw === undefined ? undefined : isoDateTime(sinceRaw);
    if (sinceRaw !== undefined && !since) {
      throw badRequest('since', `"since" must be an ISO 8601 date or time, e.g. 2026-07-01 or 2026-07-01T08:00:00+08:00, got "${sinceRaw}".`);
    }
    const limit = integer(query, 'limit', AUDIT_DEFAULT_LIMIT, 1, AUDIT_MAX_LIMIT);
    const offset = integer(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const page = await listAudit(db, {
      layer,
      fid: single(query, 'fid'),
      actor: single(query, 'actor'),
      action: action as AuditAction | undefined,
      since,
      limit,
      offset,
    });
    res.json({ numberMatched: page.numberMatched, numberReturned: page.entries.length, entries: page.entries });
  });

  return r;
}
