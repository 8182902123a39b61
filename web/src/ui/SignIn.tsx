import { useState } from 'preact/hooks';
import { devToken, ROLES, signInRedirect, type Credentials, type Role } from '../auth';
import type { AppConfig } from '../config';
import { t, type Key } from '../i18n';
import { LanguageSelect } from './LanguageSelect';
import { Refusal } from './Refusal';

/**
 * The development sign-in (pseudonym and role), clearly marked, only when the node runs it; otherwise the identity
 * provider's sign-in, never the development form.
 */
export function SignIn({
  config,
  problem,
  onSignedIn,
}: {
  config: AppConfig;
  problem?: string;
  onSignedIn: (credentials: Credentials) => void;
}) {
  const [pseudonym, setPseudonym] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [, setLanguageVersion] = useState(0);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const token = await devToken(config.devTokenUrl, pseudonym.trim(), role);
      onSignedIn({ kind: 'dev', pseudonym: pseudonym.trim(), role, devTokenUrl: config.devTokenUrl, token });
    } catch (failure) {
      setError(t('signin.failed', { detail: failure instanceof Error ? failure.message : String(failure) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin" id="main">
      <div class="signin-card">
        <div class="signin-head">
          <h1>
            <span class="logo" aria-hidden="true" />
            {t('app.name')}
          </h1>
          <LanguageSelect onChange={() => setLanguageVersion((v) => v + 1)} />
        </div>
        <p class="tagline">{t('app.tagline')}</p>
        {problem && (
          <p class="alert" role="alert">
            {problem}
          </p>
        )}
        {config.devSignIn ? (
          <form onSubmit={submit} class="stack" aria-describedby="dev-explain">
            <p class="dev-badge">{t('signin.devBadge')}</p>
            <p id="dev-explain" class="hint">
              {t('signin.devExplain')}
            </p>
            <label for="pseudonym">{t('signin.pseudonym')}</label>
            <input
              id="pseudonym"
              name="pseudonym"
              required
              maxLength={40}
              autocomplete="nickname"
              aria-describedby="pseudonym-hint"
              value={pseudonym}
              onInput={(e) => setPseudonym((e.target as HTMLInputElement).value)}
            />
            <p id="pseudonym-hint" class="hint">
              {t('signin.pseudonymHint')}
            </p>
            <fieldset>
              <legend>{t('signin.role')}</legend>
              <div class="choices">
                {ROLES.map((r) => (
                  <label key={r} class="choice">
                    <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
                    {t(`role.${r}` as Key)}
                  </label>
                ))}
              </div>
            </fieldset>
            <Refusal reason={error} />
            <button type="submit" class="primary" disabled={busy || pseudonym.trim() === ''}>
              {t('signin.submit')}
            </button>
          </form>
        ) : config.signInUrl ? (
          <p>
            <a class="button primary" href={signInRedirect(config.signInUrl)}>
              {t('signin.withProvider')}
            </a>
          </p>
        ) : (
          <p>{t('signin.useLink')}</p>
        )}
      </div>
    </main>
  );
}
