/**
 * The audit log for admins: every create, change, delete and import, newest first, filtered by
 * layer, actor and action, each with what it changed (before → after).
 */
import { useState } from 'react';
import { AUDIT_ACTIONS, AUDIT_LIMIT, auditDiff, useAudit, type AuditEntry, type AuditFilters } from '../api/audit';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

const ACTION_LABEL: Record<string, MessageKey> = {
  create: 'actionCreate',
  update: 'actionUpdate',
  delete: 'actionDelete',
  import: 'actionImport',
};

const shown = (v: unknown): string => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

export function AuditLog({ layers }: { layers: Layer[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} data-testid="open-audit">
        {t('auditLog')}
      </button>
      {open && <AuditDialog layers={layers} onClose={() => setOpen(false)} />}
    </>
  );
}

function AuditDialog({ layers, onClose }: { layers: Layer[]; onClose(): void }) {
  const { t, l } = useI18n();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [actor, setActor] = useState('');
  const audit = useAudit(filters, true);
  const set = (key: keyof AuditFilters, value: string) => setFilters((f) => ({ ...f, [key]: value || undefined }));
  const layerName = (id: string) => {
    const layer = layers.find((x) => x.id === id);
    return layer ? l(layer.name) : id;
  };
  // The server matches actors exactly; typing part of a name narrows the page here.
  const entries = (audit.data?.entries ?? []).filter((e) => e.actor.includes(actor.trim()));
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <section className="modal audit-log" role="dialog" aria-modal="true" aria-labelledby="audit-title" data-testid="audit-log" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2 id="audit-title">{t('auditLog')}</h2>
          <button type="button" className="icon-button close" aria-label={t('close')} onClick={onClose}>
            ×
          </button>
        </header>
        <div className="audit-filters">
          <label>
            {t('layers')}
            <select value={filters.layer ?? ''} onChange={(e) => set('layer', e.target.value)} data-audit-filter="layer">
              <option value="">{t('all')}</option>
              {layers.map((x) => (
                <option key={x.id} value={x.id}>
                  {l(x.name)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('actor')}
            <input type="search" value={actor} onChange={(e) => setActor(e.target.value)} data-audit-filter="actor" />
          </label>
          <label>
            {t('action')}
            <select value={filters.action ?? ''} onChange={(e) => set('action', e.target.value)} data-audit-filter="action">
              <option value="">{t('all')}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(ACTION_LABEL[a])}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="audit-entries">
          {audit.isPending && <p>{t('loading')}</p>}
          {audit.error && <p className="error">{t('loadFailed', { message: audit.error.message })}</p>}
          {audit.data && entries.length === 0 && <p className="muted">{t('auditEmpty')}</p>}
          {audit.data && audit.data.numberMatched > AUDIT_LIMIT && <p className="muted hint">{t('auditLimited', { n: AUDIT_LIMIT, total: audit.data.numberMatched })}</p>}
          <ol>
            {entries.map((e) => (
              <Entry key={e.id} entry={e} layer={layers.find((x) => x.id === e.layer)} layerName={layerName(e.layer)} />
            ))}
          </ol>
        </div>
      </section>
    </div>
  );
}

function Entry({ entry, layer, layerName }: { entry: AuditEntry; layer?: Layer; layerName: string }) {
  const { t, l, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const diff = auditDiff(entry);
  const label = (key: string) => {
    if (key === 'geometry') return t('coordinates');
    if (key === 'version') return t('version');
    const field = layer?.fields.find((f) => f.name === key);
    return field ? l(field.label) : key;
  };
  return (
    <li className="audit-entry" data-audit-entry={entry.id} data-action={entry.action} data-fid={entry.fid ?? ''}>
      <button type="button" className="audit-summary" aria-expanded={open} onClick={() => setOpen(!open)}>
        <time dateTime={entry.at}>{entry.at ? new Date(entry.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') : '—'}</time>
        <strong>{entry.actor}</strong>
        <span className={`action action-${entry.action}`}>{t(ACTION_LABEL[entry.action] ?? 'actionUpdate')}</span>
        <span>
          {layerName}
          {entry.fid ? ` · ${entry.fid}` : ''}
        </span>
        <span className="muted">{t('changedFields', { n: diff.length })}</span>
      </button>
      {open && (
        <div className="audit-detail">
          {diff.length > 0 && (
            <table className="audit-diff">
              <thead>
                <tr>
                  <th>{t('field')}</th>
                  <th>{t('before')}</th>
                  <th>{t('after')}</th>
                </tr>
              </thead>
              <tbody>
                {diff.map((d) => (
                  <tr key={d.key} data-diff={d.key}>
                    <th>{label(d.key)}</th>
                    <td className="before">{shown(d.before)}</td>
                    <td className="after">{shown(d.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {entry.detail !== undefined && entry.detail !== null && <pre className="audit-json">{JSON.stringify(entry.detail, null, 2)}</pre>}
        </div>
      )}
    </li>
  );
}
