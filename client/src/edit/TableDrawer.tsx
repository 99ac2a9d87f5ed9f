/**
 * A layer's features as a table in a bottom drawer: the catalogue's columns the role may see,
 * sortable, searchable; a row click flies to the feature and selects it. Staff edit a cell by
 * double-clicking it (Enter saves as a PATCH of that field, with the same conflict check as the form).
 */
import { useMemo, useState } from 'react';
import type { FieldDef } from '../../../core/catalogue/types';
import type { Area } from '../api/areas';
import type { VersionedFeature } from '../api/edit';
import { useLayersFeatures } from '../api/features';
import type { Layer } from '../api/layers';
import { useI18n, type I18n } from '../i18n';
import { FieldInput, problemMessage } from './FeatureForm';
import { parseField, sameValue, toDraft, type DraftValue, type FormProblem } from './formValues';
import { useGuardedSave } from './useGuardedSave';

/** Rows drawn at once; a search narrows a bigger layer down. */
const MAX_ROWS = 500;

/** Cell types edited in place; lists and inventories go through the form. */
const INLINE: FieldDef['type'][] = ['string', 'integer', 'number', 'enum'];

function cellText(field: FieldDef, value: unknown, { l, n }: I18n): string {
  if (value === null || value === undefined || value === '') return '';
  const label = (v: unknown) => {
    const o = field.options?.find((x) => x.value === v);
    return o ? l(o) : String(v);
  };
  switch (field.type) {
    case 'integer':
    case 'number':
      return typeof value === 'number' ? n(value) : String(value);
    case 'enum':
      return label(value);
    case 'enum[]':
      return (Array.isArray(value) ? value : [value]).map(label).join('、');
    case 'items':
      return Array.isArray(value) ? value.map((r: { item: string; quantity: number }) => `${label(r.item)} ${n(r.quantity)}`).join('、') : '';
    default:
      return String(value);
  }
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** Numbers by value, the rest by the text shown (Chinese collation); empty cells last either way. */
function sortRows(rows: VersionedFeature[], field: FieldDef, desc: boolean, i18n: I18n): VersionedFeature[] {
  return [...rows].sort((a, b) => {
    const x = a.properties[field.name];
    const y = b.properties[field.name];
    if (isEmpty(x) || isEmpty(y)) return Number(isEmpty(x)) - Number(isEmpty(y));
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : cellText(field, x, i18n).localeCompare(cellText(field, y, i18n), 'zh-CN');
    return desc ? -c : c;
  });
}

export interface TableProps {
  layer: Layer;
  areas: Area[];
  canEdit: boolean;
  selectedFid?: string;
  onSelect(layer: Layer, feature: VersionedFeature): void;
  onClose(): void;
}

export function TableDrawer({ layer, areas, canEdit, selectedFid, onSelect, onClose }: TableProps) {
  const i18n = useI18n();
  const { t, l, n } = i18n;
  const [page] = useLayersFeatures([{ layerId: layer.id, filters: {}, enabled: true }]);
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<{ field: string; desc: boolean } | null>(null);
  const [editing, setEditing] = useState<{ fid: string; field: string; value: DraftValue; problem?: FormProblem } | null>(null);
  const guarded = useGuardedSave(layer, areas, { onSaved: () => setEditing(null), onReload: () => setEditing(null) });

  const fields = layer.fields;
  const rows = useMemo(() => {
    const all = (page.data?.features ?? []) as VersionedFeature[];
    const needle = q.trim().toLowerCase();
    const found = needle
      ? all.filter((f) => f.id.toLowerCase().includes(needle) || fields.some((fd) => cellText(fd, f.properties[fd.name], i18n).toLowerCase().includes(needle)))
      : all;
    const field = sort && fields.find((f) => f.name === sort.field);
    return field ? sortRows(found, field, sort.desc, i18n) : found;
  }, [page.data, q, sort, fields, i18n]);

  const commit = (feature: VersionedFeature, field: FieldDef, value: DraftValue) => {
    const parsed = parseField(field, value);
    if ('problem' in parsed) {
      setEditing((e) => e && { ...e, problem: parsed.problem });
      return;
    }
    if (sameValue(feature.properties[field.name], parsed.value)) setEditing(null);
    else void guarded.save(feature, { properties: { [field.name]: parsed.value } });
  };

  return (
    <section className="table-drawer" aria-label={t('tableOf', { layer: l(layer.name) })} data-testid="table-drawer" data-table-layer={layer.id}>
      <header>
        <h2>{t('tableOf', { layer: l(layer.name) })}</h2>
        <input type="search" placeholder={t('tableSearch')} aria-label={t('tableSearch')} value={q} onChange={(e) => setQ(e.target.value)} data-testid="table-search" />
        <span className="muted" data-testid="table-count">
          {page.isPending ? t('loading') : t('tableRows', { shown: n(Math.min(rows.length, MAX_ROWS)), total: n(rows.length) })}
        </span>
        {canEdit && <span className="muted hint">{t('tableEditHint')}</span>}
        <button type="button" className="icon-button close" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </header>
      {page.error && <p className="error">{t('loadFailed', { message: page.error.message })}</p>}
      {guarded.error && (
        <p className="error" role="alert">
          {guarded.error}
        </p>
      )}
      <div className="table-scroll">
        <table className="feature-table">
          <thead>
            <tr>
              {fields.map((f) => (
                <th
                  key={f.name}
                  aria-sort={sort?.field === f.name ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                  className={f.type === 'integer' || f.type === 'number' ? 'num' : undefined}
                >
                  <button type="button" className="link-button" data-sort={f.name} onClick={() => setSort({ field: f.name, desc: sort?.field === f.name && !sort.desc })}>
                    {l(f.label)}
                    {f.unit ? ` (${l(f.unit)})` : ''}
                    {sort?.field === f.name ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, MAX_ROWS).map((f) => (
              <tr key={f.id} data-row={f.id} aria-selected={f.id === selectedFid} onClick={() => onSelect(layer, f)}>
                {fields.map((field) => {
                  const isEditing = editing?.fid === f.id && editing.field === field.name;
                  const editable = canEdit && INLINE.includes(field.type);
                  return (
                    <td
                      key={field.name}
                      data-cell={field.name}
                      className={field.type === 'integer' || field.type === 'number' ? 'num' : undefined}
                      title={editable ? t('tableEditHint') : undefined}
                      onDoubleClick={
                        editable
                          ? (e) => {
                              e.stopPropagation();
                              setEditing({ fid: f.id, field: field.name, value: toDraft([field], f.properties)[field.name] });
                            }
                          : undefined
                      }
                    >
                      {isEditing ? (
                        <form
                          className="cell-editor"
                          onClick={(e) => e.stopPropagation()}
                          onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
                          onSubmit={(e) => {
                            e.preventDefault();
                            commit(f, field, editing.value);
                          }}
                          onChange={(e) => {
                            // A select saves as soon as a value is picked.
                            if (e.target instanceof HTMLSelectElement) commit(f, field, e.target.value);
                          }}
                        >
                          <FieldInput field={field} value={editing.value} invalid={Boolean(editing.problem)} autoFocus onChange={(value) => setEditing({ ...editing, value, problem: undefined })} />
                          {editing.problem && <span className="error">{t(problemMessage[editing.problem])}</span>}
                        </form>
                      ) : (
                        cellText(field, f.properties[field.name], i18n)
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {guarded.dialog}
    </section>
  );
}
