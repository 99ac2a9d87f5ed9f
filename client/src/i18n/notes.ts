/**
 * A server Note (core/note.ts) in the reader's language: the message `note.<code>` with its params,
 * numbers formatted for the language; `say` renders a param itself (a catalogue value as its label,
 * minutes as a duration). An unknown code shows as ⟦code⟧ so that the language
 * browser test (and a reader) sees it instead of an English sentence slipping through.
 */
import type { Note } from '../../../core/note';
import type { I18n } from '.';
import type { MessageKey } from './messages';

export function noteText(n: Note, i18n: I18n, say?: Partial<Record<string, (value: string | number) => string>>): string {
  const key = `note.${n.code}` as MessageKey;
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(n.params ?? {})) params[k] = say?.[k] ? say[k](v) : typeof v === 'number' ? i18n.n(v, 2) : v;
  return i18n.has(key) ? i18n.t(key, params) : `⟦${n.code}⟧`;
}
