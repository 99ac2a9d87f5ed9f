/**
 * The inputs the analysis forms share (client/src/analyses/<slice>/): a number shown with the
 * standard's default and the clause it comes from (a changed value goes back to the default in
 * one click), a check box, and a choice among a catalogue field's options.
 */
import type { ReactNode } from 'react';
import type { EnumOption } from '../../../core/catalogue/types';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';

interface NumberParamProps {
  id: string;
  label: string;
  unit: string;
  value: number;
  defaultValue: number;
  /** Standard or plan the default comes from; absent when a group heading names it. */
  basis?: ReactNode;
  min?: number;
  max?: number;
  step?: number;
  onChange(value: number): void;
}

/** An empty or unreadable box holds NaN, which the Run button refuses. */
export function NumberParam({ id, label, unit, value, defaultValue, basis, min = 0, max, step = 1, onChange }: NumberParamProps) {
  const { t, n } = useI18n();
  const changed = value !== defaultValue;
  return (
    <div className={`param${Number.isFinite(value) ? '' : ' invalid'}`} data-param={id}>
      <label>
        <span className="param-label">{label}</span>
        <input type="number" value={Number.isFinite(value) ? value : ''} min={min} max={max} step={step} onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))} />
        <span className="param-unit">{unit}</span>
      </label>
      <p className="param-basis">
        {t('defaultValue', { value: `${n(defaultValue)} ${unit}` })}
        {basis && <> · {basis}</>}
        {changed && (
          <button type="button" className="link-button" onClick={() => onChange(defaultValue)}>
            {t('resetDefault')}
          </button>
        )}
      </p>
    </div>
  );
}

export function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label className="param-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** A choice among a catalogue field's options, with an empty "any" entry first. */
export function OptionSelect({ label, any, options, value, onChange }: { label: string; any: string; options: readonly EnumOption[]; value: string; onChange(v: string): void }) {
  const { l } = useI18n();
  return (
    <label className="param-select">
      <span className="param-label">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {l(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

export const optionsOf = (layers: readonly Layer[], layerId: string, field: string) =>
  layers.find((l) => l.id === layerId)?.fields.find((f) => f.name === field)?.options ?? [];
