/** The server's logger: JSON lines (pino), with credentials redacted. */
import { pino, type DestinationStream, type Logger } from 'pino';

// Tokens travel in the Authorization header: never write them to the log.
export const REDACTED = ['req.headers.authorization', 'req.headers.cookie'];

export const createLogger = (level = 'info', destination?: DestinationStream): Logger =>
  pino({ level, redact: REDACTED }, destination);
