/** Parsing a JSON request body with a zod schema into a 400 that names the parameter. */
import { z } from 'zod';
import { badRequest } from '../errors.js';

/** Validates a JSON body; the first problem becomes a 400 naming the parameter, with `hint`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, hint: string): T {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('body', `The request body must be a JSON object with Content-Type: application/json. ${hint}`);
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const parameter = String(issue.path[0] ?? 'body');
  const where = issue.path.length ? `"${issue.path.join('.')}"` : 'the body';
  throw badRequest(parameter, `${where}: ${issue.message}. ${hint}`);
}
