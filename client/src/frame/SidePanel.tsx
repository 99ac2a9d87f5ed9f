/** The side panel: its toggle (collapsed at start on a phone), the shell's tabs, and the open tab's body. */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import type { Tab } from './oneMap';

const TAB_LABEL = { layers: 'tabLayers', analysis: 'tabAnalysis' } as const;

interface Props {
  tabs: Tab[];
  tab: Tab;
  open: boolean;
  onOpen(open: boolean): void;
  onTab(tab: Tab): void;
  children: ReactNode;
}

export function SidePanel({ tabs, tab, open, onOpen, onTab, children }: Props) {
  const { t } = useI18n();
  return (
    <aside className={`side-panel${tab === 'analysis' && open ? ' wide' : ''}`} aria-label={t('panelLayers')}>
      <button type="button" className="panel-toggle" aria-expanded={open} title={open ? t('collapse') : t('expand')} onClick={() => onOpen(!open)} data-testid="panel-toggle">
        <span>{t('panelLayers')}</span>
        <span aria-hidden>{open ? '▴' : '▾'}</span>
      </button>
      {open && tabs.length > 1 && (
        <div className="tabs" role="tablist">
          {tabs.map((id) => (
            <button key={id} type="button" role="tab" aria-selected={tab === id} data-tab={id} onClick={() => onTab(id)}>
              {t(TAB_LABEL[id])}
            </button>
          ))}
        </div>
      )}
      {children}
    </aside>
  );
}
