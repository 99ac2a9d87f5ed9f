/**
 * Where a generated demo record comes from, said in the reader's language: its `source` (and a
 * town's `population_source`) holds `demo:<code>` or `demo:<code> {…params}` — a Note (core/note.ts)
 * in one string, so the value still starts with the demo prefix (isDemo) and filters as text. The
 * client renders the Note `demo_source_<code>` for fields the catalogue marks `provenance`; real
 * sources (a plan's quote, a package's name) stay as written.
 */
import { note, type Note } from '../note.js';
import { DEMO_SOURCE_PREFIX } from './layers.js';

export const demoSource = (code: string, params?: Note['params']): string =>
  `${DEMO_SOURCE_PREFIX}:${code}${params ? ` ${JSON.stringify(params)}` : ''}`;

const PATTERN = new RegExp(`^${DEMO_SOURCE_PREFIX}:([a-z0-9_]+)(?: (\\{.*\\}))?$`, 's');

/** The Note a demo source value says, or undefined for any other text. */
export function sourceNote(value: unknown): Note | undefined {
  if (typeof value !== 'string') return undefined;
  const m = PATTERN.exec(value);
  if (!m) return undefined;
  let params: Note['params'];
  try {
    params = m[2] ? (JSON.parse(m[2]) as Note['params']) : undefined;
  } catch {
    return undefined;
  }
  return note(`demo_source_${m[1]}`, params);
}
