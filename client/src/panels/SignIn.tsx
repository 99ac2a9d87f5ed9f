/**
 * Sign-in for commanders: a token box. The token is checked against the API before it is kept, by
 * asking for the catalogue as that token sees it — the hooks' own query, so the map finds it kept.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/http';
import { layersQuery } from '../api/layers';
import { setToken, useToken } from '../api/token';
import type { Role } from '../../../core/catalogue/types';
import { useI18n } from '../i18n';

export function SignIn({ role }: { role?: Role }) {
  const { t } = useI18n();
  const token = useToken();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (token && role && role !== 'public') {
    return (
      <div className="sign-in signed-in">
        <span data-testid="role">{t('signedInAs', { role: t(`roles_${role}`) })}</span>
        <button type="button" onClick={() => setToken(null)}>
          {t('signOut')}
        </button>
      </div>
    );
  }

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const checked = draft.trim();
      await queryClient.fetchQuery(layersQuery(checked));
      setToken(checked);
      setDraft('');
      setOpen(false);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('unauthorized', { message: err.message }) : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="sign-in">
        {t('signIn')}
      </button>
      {open && (
        <form
          className="sign-in-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) void submit();
          }}
        >
          <label>
            {t('token')}
            <input type="password" autoComplete="current-password" value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="token" />
          </label>
          <p className="muted">{t('signInHint')}</p>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy || !draft.trim()}>
            {t('submit')}
          </button>
        </form>
      )}
    </div>
  );
}
