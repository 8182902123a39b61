import { render } from 'preact';
import { takeTokenFromFragment, remember } from './auth';
import { loadConfig } from './config';
import { setLanguage, language, t } from './i18n';
import { Root } from './ui/Root';
import './styles.css';

/** Reads the node's config.json, takes a token handed over in the fragment, and starts the app. */
async function boot(): Promise<void> {
  const host = document.getElementById('app') as HTMLElement;
  setLanguage(language());
  try {
    const config = await loadConfig();
    const token = takeTokenFromFragment();
    if (token !== null && !config.devSignIn) {
      remember({ kind: 'jwt', token });
    }
    render(<Root config={config} />, host);
  } catch (error) {
    render(
      <main class="boot-failure">
        <h1>{t('app.name')}</h1>
        <p role="alert">{t('app.failed', { detail: error instanceof Error ? error.message : String(error) })}</p>
        <button type="button" onClick={() => window.location.reload()}>
          {t('app.retry')}
        </button>
      </main>,
      host,
    );
  }
}

void boot();
