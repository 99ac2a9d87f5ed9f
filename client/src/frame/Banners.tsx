/** Notices under the top bar: a rejected token or a failed load, and an online basemap that fails. */
import { setToken } from '../api/token';
import { useI18n } from '../i18n';

interface Props {
  /** The token was refused (401): offer to sign out. */
  rejected: boolean;
  loadError: Error | null;
  basemapFailed: boolean;
  onOffline(): void;
}

export function Banners({ rejected, loadError, basemapFailed, onOffline }: Props) {
  const { t } = useI18n();
  return (
    <>
      {(rejected || loadError) && (
        <div className="banner error" role="alert">
          {rejected ? t('tokenRejected') : t('loadFailed', { message: loadError!.message })}
          {rejected && (
            <button type="button" onClick={() => setToken(null)}>
              {t('signOut')}
            </button>
          )}
        </div>
      )}
      {basemapFailed && (
        <div className="banner" role="status">
          {t('basemapFailed')}
          <button type="button" onClick={onOffline}>
            {t('basemapOffline')}
          </button>
        </div>
      )}
    </>
  );
}
