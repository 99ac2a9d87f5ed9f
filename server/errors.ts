/** API errors: every failure answers JSON `{ error: { code, message, parameter?, params? } }`. */
import type { ErrorRequestHandler } from 'express';
import { ApiError } from '../core/api-error.js';
import type { Note } from '../core/note.js';

export { ApiError };

export const badRequest = (parameter: string, message: string): ApiError =>
  new ApiError(400, 'bad_parameter', message, parameter);

export const notFound = (message: string): ApiError => new ApiError(404, 'not_found', message);

/** An error's Note as the answer's params: `detail` is its code, the client renders `note.<detail>` with the rest. */
export const detailParams = (n: Note | undefined): ApiError['params'] => (n ? { ...n.params, detail: n.code } : undefined);

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof ApiError) {
    // A refusal that passes (a busy worker pool) says when to come back (RFC 9110 §10.2.3).
    if (typeof err.params?.retryAfterSeconds === 'number') res.set('Retry-After', String(err.params.retryAfterSeconds));
    res.status(err.status).json({ error: { code: err.code, message: err.message, parameter: err.parameter, params: err.params } });
    return;
  }
  // body-parser errors carry a status and a type (e.g. entity.too.large, entity.parse.failed).
  if (err?.type === 'entity.parse.failed') {
    res.status(400).json({
      error: {
        code: 'bad_parameter',
        parameter: 'body',
        message: `The body is not valid JSON (${String(err.message)}). Send a JSON object with Content-Type: application/json.`,
      },
    });
    return;
  }
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 500) req.log?.error({ err }, 'unhandled error');
  res.status(status).json({
    error: {
      code: status === 500 ? 'internal' : String(err.type ?? 'bad_request'),
      message: status === 500 ? 'Internal server error; the details are in the server log.' : String(err.message),
    },
  });
};
