/**
 * The one-map's ways to the public shelter finder: a link in its top bar, and for anonymous
 * visitors on a phone-sized screen a banner offering it (dismissed once, remembered).
 */
import { useState } from 'react';
import { useI18n } from '../../i18n';
import { message } from './messages';
import './offer.css';

const HREF = '/shelters/';
const DISMISSED = 'onemap.shelterOffer.dismissed';
const PHONE = '(max-width: 600px)';

export function ShelterFinderLink() {
  const { lang } = useI18n();
  return (
    <a className="shelter-finder-link" href={HREF}>
      {message(lang, 'offerLink')}
    </a>
  );
}

function dismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED) === '1';
  } catch {
    return false;
  }
}

export function ShelterFinderOffer({ anonymous }: { anonymous: boolean }) {
  const { lang } = useI18n();
  const [hidden, setHidden] = useState(() => dismissed() || !window.matchMedia(PHONE).matches);
  if (hidden || !anonymous) return null;
  const dismiss = () => {
    setHidden(true);
    try {
      localStorage.setItem(DISMISSED, '1');
    } catch {
      // Storage refused: the banner stays away for this page only.
    }
  };
  return (
    <div className="banner shelter-offer" role="note">
      <span>{message(lang, 'offerBanner')}</span>
      <a href={HREF}>{message(lang, 'offerOpen')}</a>
      <button type="button" onClick={dismiss} aria-label={message(lang, 'offerDismiss')}>
        ✕
      </button>
    </div>
  );
}
