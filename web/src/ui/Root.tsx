import { KindredClient } from '@kindred/client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { forget, remember, storedCredentials, tokenSource, type Credentials } from '../auth';
import type { AppConfig } from '../config';
import { StoreContext } from '../hooks';
import { language, serverLanguage, t } from '../i18n';
import { codeOf, Store } from '../store';
import { App } from './App';
import { SignIn } from './SignIn';

/** Signs in, then runs the app on one client; back to sign-in when the server refuses the token for good. */
export function Root({ config }: { config: AppConfig }) {
  const [credentials, setCredentials] = useState<Credentials | null>(() => storedCredentials(config));
  const [problem, setProblem] = useState<string | undefined>();

  const signOut = (reason?: string) => {
    forget();
    setCredentials(null);
    setProblem(reason);
  };

  if (credentials === null) {
    return (
      <SignIn
        config={config}
        problem={problem}
        onSignedIn={(next) => {
          remember(next);
          setProblem(undefined);
          setCredentials(next);
        }}
      />
    );
  }
  return <Session key={JSON.stringify(credentials)} config={config} credentials={credentials} onSignOut={signOut} />;
}

function Session({
  config,
  credentials,
  onSignOut,
}: {
  config: AppConfig;
  credentials: Credentials;
  onSignOut: (reason?: string) => void;
}) {
  const store = useMemo(
    () =>
      new Store(
        new KindredClient({ url: config.webSocketUrl, token: tokenSource(credentials), language: serverLanguage }),
        language,
      ),
    [config, credentials],
  );
  const [started, setStarted] = useState(false);

  useEffect(() => {
    const client = store.client;
    const off = client.on('disconnected', ({ code, willReconnect }) => {
      if (!willReconnect && code === 4101) onSignOut(t('signin.expired'));
      else if (!willReconnect && code >= 4100 && code < 4200) onSignOut(t('signin.refused', { detail: String(code) }));
    });
    const online = () => client.reconnectNow();
    window.addEventListener('online', online);
    store.start().then(
      () => setStarted(true),
      (error: unknown) => onSignOut(t('signin.refused', { detail: codeOf(error) })),
    );
    return () => {
      off();
      window.removeEventListener('online', online);
      void client.close();
    };
  }, [store]);

  if (!started) {
    return (
      <main class="boot" aria-busy="true">
        <h1>{t('app.name')}</h1>
        <p role="status">{t('app.loading')}</p>
      </main>
    );
  }
  return (
    <StoreContext.Provider value={store}>
      <App config={config} onSignOut={() => onSignOut()} />
    </StoreContext.Provider>
  );
}
