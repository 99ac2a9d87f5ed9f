/**
 * A feature's attribute form, generated from the catalogue: text, number (with its unit), enum
 * (a select), enum[] (check boxes), items (item + quantity rows). Problems show under their field:
 * the form's own (not a number, a fraction of a person) and the server's (a 400 naming the field).
 */
import { useState, type ReactNode } from 'react';
import { sourceNote } from '../../../core/catalogue/provenance';
import type { FieldDef } from '../../../core/catalogue/types';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { noteText } from '../i18n/notes';
import { fromDraft, toDraft, type Draft, type DraftValue, type FormProblem, type ItemDraft, type Props } from './formValues';

/** The message of each problem the form finds itself. */
export const problemMessage: Record<FormProblem, MessageKey> = {
  required: 'problemRequired',
  notNumber: 'problemNotNumber',
  notInteger: 'problemNotInteger',
  itemMissing: 'problemItemMissing',
  quantityInvalid: 'problemQuantity',
  itemTwice: 'problemItemTwice',
};

interface InputProps {
  field: FieldDef;
  value: DraftValue;
  onChange(value: DraftValue): void;
  invalid: boolean;
  autoFocus?: boolean;
}

/** The input for one field's value (also the table's cell editor). */
export function FieldInput({ field, value, onChange, invalid, autoFocus }: InputProps) {
  const { t, l } = useI18n();
  const common = { 'aria-invalid': invalid || undefined, 'data-input': field.name, autoFocus };
  switch (field.type) {
    case 'enum':
      return (
        <select {...common} value={value as string} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('noValue')}</option>
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {l(o)}
            </option>
          ))}
        </select>
      );
    case 'enum[]': {
      const chosen = value as string[];
      return (
        <div className="enum-checks" data-input={field.name}>
          {field.options?.map((o) => (
            <label key={o.value} className="chip">
              <input
                type="checkbox"
                checked={chosen.includes(o.value)}
                onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))}
              />
              {l(o)}
            </label>
          ))}
        </div>
      );
    }
    case 'items':
      return <ItemsInput field={field} rows={value as ItemDraft[]} onChange={onChange} />;
    default:
      if (field.provenance && sourceNote(value)) return <ProvenanceInput field={field} value={value as string} onChange={onChange} />;
      return (
        <span className="input-with-unit">
          <input
            {...common}
            type="text"
            inputMode={field.type === 'string' ? undefined : field.type === 'integer' ? 'numeric' : 'decimal'}
            value={value as string}
            onChange={(e) => onChange(e.target.value)}
          />
          {field.unit && <span className="muted">{l(field.unit)}</span>}
        </span>
      );
  }
}

/**
 * A demo record's source (`demo:<code> {…}`, core/catalogue/provenance.ts) read in the reader's
 * language rather than as its stored code; saving keeps the stored value, so the record stays
 * marked demo, unless the editor chooses to write another source.
 */
function ProvenanceInput({ field, value, onChange }: { field: FieldDef; value: string; onChange(value: string): void }) {
  const i18n = useI18n();
  return (
    <span className="provenance-input" data-input={field.name} data-provenance={value}>
      <span className="provenance-text">{noteText(sourceNote(value)!, i18n)}</span>{' '}
      <span className="muted">{i18n.t('provenanceStored')}</span>{' '}
      <button type="button" className="link-button" data-testid="provenance-replace" onClick={() => onChange('')}>
        {i18n.t('provenanceReplace')}
      </button>
    </span>
  );
}

function ItemsInput({ field, rows, onChange }: { field: FieldDef; rows: ItemDraft[]; onChange(rows: ItemDraft[]): void }) {
  const { t, l } = useI18n();
  const set = (i: number, row: ItemDraft) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <div className="items-input" data-input={field.name}>
      {rows.map((r, i) => {
        const option = field.options?.find((o) => o.value === r.item);
        return (
          <div key={i} className="items-row">
            <select value={r.item} aria-label={t('item')} onChange={(e) => set(i, { ...r, item: e.target.value })}>
              <option value="">—</option>
              {field.options?.map((o) => (
                <option key={o.value} value={o.value}>
                  {l(o)}
                </option>
              ))}
            </select>
            <input type="text" inputMode="numeric" aria-label={t('quantity')} value={r.quantity} onChange={(e) => set(i, { ...r, quantity: e.target.value })} />
            <span className="muted">{option?.unit ? l(option.unit) : ''}</span>
            <button type="button" className="icon-button" aria-label={t('removeRow')} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        );
      })}
      <button type="button" className="link-button" onClick={() => onChange([...rows, { item: '', quantity: '' }])}>
        {t('addRow')}
      </button>
    </div>
  );
}

interface FormProps {
  layer: Layer;
  /** The values the form starts from. */
  initial: Props;
  /** Problems the server named, by field. */
  serverErrors: Record<string, string>;
  busy: boolean;
  error?: string | null;
  submitLabel: string;
  onSubmit(properties: Props): void;
  onCancel(): void;
  /** Shown above the fields (the position of a new feature). */
  children?: ReactNode;
}

/** The whole form. Re-mount it (key) to start again from other initial values. */
export function FeatureForm({ layer, initial, serverErrors, busy, error, submitLabel, onSubmit, onCancel, children }: FormProps) {
  const { t, l } = useI18n();
  // Every field the role sees (the layer list is already cut to the role).
  const fields = layer.fields;
  const [draft, setDraft] = useState<Draft>(() => toDraft(fields, initial));
  const [problems, setProblems] = useState<Record<string, FormProblem>>({});
  const submit = () => {
    const parsed = fromDraft(fields, draft);
    setProblems(parsed.problems);
    if (Object.keys(parsed.problems).length === 0) onSubmit(parsed.properties);
  };
  return (
    <form
      className="feature-form"
      data-testid="feature-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {children}
      {fields.map((field) => {
        const message = problems[field.name] ? t(problemMessage[problems[field.name]]) : serverErrors[field.name];
        // A demo source is read, not typed into: its button must not be the label's control.
        const Wrap = field.provenance && sourceNote(draft[field.name]) ? 'div' : 'label';
        return (
          <div key={field.name} className={`form-field${message ? ' invalid' : ''}`} data-form-field={field.name}>
            <Wrap>
              <span className="form-label">
                {l(field.label)}
                {field.required && (
                  <abbr className="required" title={t('problemRequired')}>
                    *
                  </abbr>
                )}
              </span>
              <FieldInput
                field={field}
                value={draft[field.name]}
                invalid={Boolean(message)}
                onChange={(value) => {
                  setDraft((d) => ({ ...d, [field.name]: value }));
                  setProblems(({ [field.name]: _, ...rest }) => rest);
                }}
              />
            </Wrap>
            {message && (
              <p className="error field-error" role="alert" data-field-error={field.name}>
                {message}
              </p>
            )}
          </div>
        );
      })}
      {error && (
        <p className="error" role="alert" data-testid="form-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="form-save">
          {busy ? t('saving') : submitLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
