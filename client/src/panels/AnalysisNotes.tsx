/**
 * The network Notes of an analysis answer (`networkNotes`, server/analyses.ts): an origin or a
 * facility on a small island of the road network, whose reach ends at the island's edge. One
 * component for every analysis panel and the incident sheet, so none of them drops the warning.
 */
import type { Note } from '../../../core/note';
import { useI18n } from '../i18n';
import { noteText } from '../i18n/notes';

/** The answer's network Notes, or none. */
export function networkNotesOf(answer: unknown): Note[] {
  const notes = answer !== null && typeof answer === 'object' ? (answer as { networkNotes?: unknown }).networkNotes : undefined;
  return Array.isArray(notes) ? (notes as Note[]) : [];
}

/** An origin's `ref` is its index: readers count from 1, as the origins list does. */
const SAY = { ref: (v: string | number) => (typeof v === 'number' ? String(v + 1) : v) };

export function AnalysisNotes({ notes }: { notes: readonly Note[] }) {
  const i18n = useI18n();
  if (notes.length === 0) return null;
  return (
    <div className="analysis-notes" role="note" data-testid="analysis-notes">
      <strong>{i18n.t('analysisNetworkNotes')}</strong>
      <ul>
        {notes.map((x, k) => (
          <li key={`${x.code}-${k}`}>{noteText(x, i18n, SAY)}</li>
        ))}
      </ul>
    </div>
  );
}
