/** Search by name across the layers the caller may see (the API's `?q=`); picking a result flies to it. */
import { useEffect, useState } from 'react';
import { SEARCH_LIMIT, useSearch, type OneFeature } from '../api/features';
import type { Layer } from '../api/layers';
import { useI18n } from '../i18n';

interface Props {
  layers: Layer[];
  onPick(layer: Layer, feature: OneFeature): void;
}

const DEBOUNCE_MS = 250;

export function SearchBox({ layers, onPick }: Props) {
  const { t, l } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const search = useSearch(q, layers);
  const showResults = open && q.length > 0;

  return (
    <div className="search" role="search">
      <input
        type="search"
        value={text}
        placeholder={t('searchPlaceholder')}
        aria-label={t('search')}
        data-testid="search"
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      />
      {showResults && (
        <div className="search-results" data-testid="search-results">
          {search.pending && search.groups.length === 0 && <p className="muted">{t('loading')}</p>}
          {search.error && <p className="error">{t('loadFailed', { message: search.error.message })}</p>}
          {!search.pending && !search.error && search.groups.length === 0 && <p className="muted">{t('searchNoResults', { q })}</p>}
          {search.groups.map(({ layer, page }) => (
            <section key={layer.id}>
              <h3>{l(layer.name)}</h3>
              <ul>
                {page.features.map((f) => (
                  <li key={f.id}>
                    <button
                      type="button"
                      onClick={() => {
                        setOpen(false);
                        onPick(layer, f);
                      }}
                    >
                      <span>{String(f.properties.name ?? f.id)}</span>
                      {typeof f.properties.town === 'string' && <span className="muted"> · {f.properties.town}</span>}
                    </button>
                  </li>
                ))}
              </ul>
              {page.numberMatched > SEARCH_LIMIT && <p className="muted">{t('searchMore', { n: page.numberMatched - SEARCH_LIMIT })}</p>}
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
