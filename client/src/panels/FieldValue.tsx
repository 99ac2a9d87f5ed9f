/** One property shown as its catalogue type says: numbers with units, enum labels, lists, item tables. */
import { sourceNote } from '../../../core/catalogue/provenance';
import type { FieldDef } from '../../../core/catalogue/types';
import type { Area } from '../api/areas';
import { useI18n } from '../i18n';
import { noteText } from '../i18n/notes';

interface Props {
  field: FieldDef;
  value: unknown;
  areas: Area[];
}

interface ItemRow {
  item: string;
  quantity: number;
}

const isItemRow = (v: unknown): v is ItemRow =>
  typeof v === 'object' && v !== null && typeof (v as ItemRow).item === 'string' && typeof (v as ItemRow).quantity === 'number';

export function FieldValue({ field, value, areas }: Props) {
  const i18n = useI18n();
  const { t, l, n } = i18n;
  if (value === null || value === undefined || value === '') return <span className="muted">{t('noValue')}</span>;
  const provenance = field.provenance ? sourceNote(value) : undefined;
  if (provenance) return <span>{noteText(provenance, i18n)}</span>;
  const option = (v: unknown) => field.options?.find((o) => o.value === v);
  const unit = field.unit ? ` ${l(field.unit)}` : '';

  switch (field.type) {
    case 'integer':
    case 'number':
      return <span>{typeof value === 'number' ? `${n(value)}${unit}` : String(value)}</span>;
    case 'enum': {
      const o = option(value);
      return (
        <span>
          {o?.color && <span className="dot" style={{ background: o.color }} aria-hidden />}
          {o ? l(o) : String(value)}
        </span>
      );
    }
    case 'enum[]':
      return (
        <ul className="value-list">
          {(Array.isArray(value) ? value : [value]).map((v) => {
            const o = option(v);
            return <li key={String(v)}>{o ? l(o) : String(v)}</li>;
          })}
        </ul>
      );
    case 'items': {
      const rows = Array.isArray(value) ? value.filter(isItemRow) : [];
      return (
        <table className="items">
          <thead>
            <tr>
              <th>{t('item')}</th>
              <th className="num">{t('quantity')}</th>
              <th>{t('unit')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const o = option(r.item);
              return (
                <tr key={r.item}>
                  <td>{o ? l(o) : r.item}</td>
                  <td className="num">{n(r.quantity)}</td>
                  <td>{o?.unit ? l(o.unit) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      );
    }
    default: {
      const text = String(value);
      // County codes are shown with the county's name, which is what a reader looks for.
      const area = field.name === 'county_code' ? areas.find((a) => a.code === text) : undefined;
      return <span>{area ? t('nameWithCode', { name: l(area.name), code: text }) : `${text}${unit}`}</span>;
    }
  }
}
