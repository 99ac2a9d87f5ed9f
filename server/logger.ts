/** The server's logger: JSON lines (pino), with credentials redacted wherever they travel. */
import { pino, type DestinationStream, type Logger } from 'pino';

// Tokens travel in the Authorization header: never write them to the log.
export const REDACTED = ['req.headers.authorization', 'req.headers.cookie'];

/** Header and query-parameter names that carry credentials by their name. */
const SECRET = /auth|token|secret|password|passwd|cookie|api[-_]?key|^key$|^tk$|signature|session/i;

/** The URL with the value of every credential-like query parameter replaced. */
export function scrubUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed escape is logged as it came; the value is still scrubbed below if it matches.
      }
      return eq >= 0 && SECRET.test(decoded) ? `${name}=[Redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

interface LoggedRequest {
  url?: string;
  headers?: Record<string, unknown>;
  query?: Record<string, unknown>;
}

const scrubNamed = (o: Record<string, unknown> | undefined): Record<string, unknown> | undefined =>
  o && Object.fromEntries(Object.entries(o).map(([k, v]) => [k, SECRET.test(k) ? '[Redacted]' : v]));

/** pino-http's request serializer, after its own: secrets out of the URL, the query and every header. */
export function scrubRequest<R extends LoggedRequest>(req: R): R {
  return {
    ...req,
    url: req.url === undefined ? undefined : scrubUrl(req.url),
    headers: scrubNamed(req.headers),
    ...(req.query ? { query: scrubNamed(req.query) } : {}),
  };
}

export const createLogger = (level = 'info', destination?: DestinationStream): Logger =>
  pino({ level, redact: REDACTED }, destination);
