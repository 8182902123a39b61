/**
 * What the app needs to know about the node it talks to. The node serves `config.json` beside the app; an operator
 * who serves the app elsewhere puts one there with `webSocketUrl` (see docs/web.md).
 */
export interface AppConfig {
  /** The node's WebSocket; default `ws` resolved against the page's address (same origin, same path). */
  webSocketUrl: string;
  /** Whether the node runs the development sign-in (no JWT key configured): the app then shows its form. */
  devSignIn: boolean;
  /** The development sign-in endpoint, beside the WebSocket. */
  devTokenUrl: string;
  /** Where a browser without a token signs in, when the node verifies real tokens; `{returnTo}` is replaced. */
  signInUrl: string | null;
  /** The node's figures for moderators (Prometheus text, moderator token); null when not reachable from here. */
  metricsUrl: string | null;
}

interface ServedConfig {
  webSocketUrl?: string | null;
  devSignIn?: boolean;
  signInUrl?: string | null;
  metricsUrl?: string | null;
}

/** Reads `config.json` next to the page and fills in what it leaves out. */
export async function loadConfig(page: URL = new URL(window.location.href)): Promise<AppConfig> {
  const response = await fetch(new URL('config.json', page), { cache: 'no-cache', credentials: 'omit' });
  if (!response.ok) {
    throw new Error(`config.json: HTTP ${response.status}`);
  }
  const served = (await response.json()) as ServedConfig;
  const webSocketUrl = new URL(served.webSocketUrl ?? 'ws', page);
  webSocketUrl.protocol = webSocketUrl.protocol === 'https:' || webSocketUrl.protocol === 'wss:' ? 'wss:' : 'ws:';
  webSocketUrl.hash = '';
  const http = new URL(webSocketUrl.href);
  http.protocol = webSocketUrl.protocol === 'wss:' ? 'https:' : 'http:';
  return {
    webSocketUrl: webSocketUrl.href,
    devSignIn: served.devSignIn === true,
    devTokenUrl: new URL('dev/token', new URL('.', http)).href,
    signInUrl: served.signInUrl ?? null,
    metricsUrl: served.metricsUrl ? new URL(served.metricsUrl, page).href : null,
  };
}
