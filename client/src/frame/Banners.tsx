/**
 * Notices under the top bar: the shelter finder offered to an anonymous phone visitor, a rejected
 * token or a failed load, and an online basemap that fails.
 */
import { setToken } from '../api/token';
import { useI18n } from '../i18n';
import { ShelterFinderOffer } from '../shells/public/OneMapOffer';

interface Props {
  /** No token: a phone visitor is offered the public shelter finder. */
  anonymous: boolean;
  /** The token was refused (401): offer to sign out. */
  rejected: boolean;
  loadError: Error | null;
  basemapFailed: boolean;
  onOffline(): void;
}

export function Banners({ anonymous, rejected, loadError, basemapFailed, onOffline }: Props) {
  const { t } = useI18n();
  return (
    <>
      <ShelterFinderOffer anonymous={anonymous} />
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
