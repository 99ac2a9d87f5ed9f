/** Settings in the top bar (admins): a dialog of the store's settings — today the road connectivity per county. */
import { useState } from 'react';
import { useOneMap } from '../frame/oneMap';
import { useI18n } from '../i18n';
import { ConnectivitySettings } from './ConnectivitySettings';

export default function SettingsTool() {
  const { t } = useI18n();
  const { areas } = useOneMap();
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} data-testid="open-settings">
        {t('settings.open')}
      </button>
      {open && (
        <div className="modal-backdrop">
          <section className="modal settings" role="dialog" aria-modal="true" aria-labelledby="settings-title" data-testid="settings" onKeyDown={(e) => e.key === 'Escape' && close()}>
            <header>
              <h2 id="settings-title">{t('settings.title')}</h2>
              <button type="button" className="icon-button close" aria-label={t('close')} onClick={close}>
                ×
              </button>
            </header>
            <ConnectivitySettings areas={areas} />
          </section>
        </div>
      )}
    </>
  );
}
