import type { AppConfig } from './config';

/** The roles the development sign-in hands out. */
export const ROLES = ['member', 'mentor', 'facilitator', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

const TOKEN_KEY = 'kindred.token';
const DEV_KEY = 'kindred.dev';

/**
 * Where the app's token comes from, kept for this tab only (sessionStorage): a reload stays signed in, closing the tab
 * signs out, and nothing outlives the browsing session on a shared computer.
 */
export type Credentials =
  { kind: 'jwt'; token: string } | { kind: 'dev'; pseudonym: string; role: Role; devTokenUrl: string; token: string };

/**
 * A token handed over in the URL fragment by an identity provider (`#token=…`, or OAuth's `#access_token=…`):
 * taken, then removed from the address bar and the history so that it is never bookmarked or shared.
 */
export function takeTokenFromFragment(location: Location = window.location): string | null {
  const fragment = location.hash.replace(/^#/, '');
  if (!/(^|&)(access_)?token=/.test(fragment)) {
    return null;
  }
  const params = new URLSearchParams(fragment);
  const token = params.get('token') ?? params.get('access_token');
  history.replaceState(null, '', location.pathname + location.search);
  return token && token.trim() !== '' ? token.trim() : null;
}

export function storedCredentials(config: AppConfig): Credentials | null {
  if (config.devSignIn) {
    const dev = sessionStorage.getItem(DEV_KEY);
    if (dev) {
      const { pseudonym, role, token } = JSON.parse(dev) as { pseudonym: string; role: Role; token?: string };
      return token ? { kind: 'dev', pseudonym, role, devTokenUrl: config.devTokenUrl, token } : null;
    }
    return null;
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { kind: 'jwt', token } : null;
}

export function remember(credentials: Credentials): void {
  if (credentials.kind === 'dev') {
    sessionStorage.setItem(
      DEV_KEY,
      JSON.stringify({ pseudonym: credentials.pseudonym, role: credentials.role, token: credentials.token }),
    );
  } else {
    sessionStorage.setItem(TOKEN_KEY, credentials.token);
  }
}

/** The token this tab holds now (renewed dev tokens included), for requests beside the WebSocket. */
export function heldToken(): string | null {
  const dev = sessionStorage.getItem(DEV_KEY);
  if (dev) return (JSON.parse(dev) as { token?: string }).token ?? null;
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forget(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(DEV_KEY);
}

/**
 * The token source for the SDK, asked again on every reconnect. A dev token is renewed each time, so it stays fresh and
 * names the same user: every development sign-in is a new user, and only its token leads back to it.
 */
export function tokenSource(credentials: Credentials): () => Promise<string> {
  if (credentials.kind === 'jwt') {
    return async () => credentials.token;
  }
  let current = credentials.token;
  return async () => {
    // A node restarted without devSecret has a new key: its old users are gone, so sign in again as a new one.
    current = await renewDevToken(credentials.devTokenUrl, current).catch(() =>
      devToken(credentials.devTokenUrl, credentials.pseudonym, credentials.role),
    );
    remember({ ...credentials, token: current });
    return current;
  };
}

/** Asks the node's development sign-in for a new user's token; rejects with the node's own message when it refuses. */
export async function devToken(url: string, pseudonym: string, role: Role): Promise<string> {
  return postDevToken(url, { pseudonym, role });
}

/** A fresh token for the user of a dev token (the node answers 401 once it has expired or the node restarted). */
export async function renewDevToken(url: string, token: string): Promise<string> {
  return postDevToken(url, { renew: token });
}

async function postDevToken(url: string, request: object): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
    credentials: 'omit',
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
  if (!response.ok || !body.token) {
    throw new Error(body.error ?? `HTTP ${response.status}`);
  }
  return body.token;
}

/** The identity provider's sign-in page, with `{returnTo}` replaced by this app's address. */
export function signInRedirect(signInUrl: string, app: URL = new URL(window.location.href)): string {
  const returnTo = app.origin + app.pathname;
  return signInUrl.replace('{returnTo}', encodeURIComponent(returnTo));
}
