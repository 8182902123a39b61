import { createContext } from 'preact';
import { useContext, useEffect, useReducer, useState } from 'preact/hooks';
import { why } from './i18n';
import { codeOf, type Store } from './store';

export const StoreContext = createContext<Store | null>(null);

/** The store, redrawing the calling component whenever it changed (at most once per frame). */
export function useStore(): Store {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('no store');
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useEffect(() => store.subscribe(() => redraw(undefined)), [store]);
  return store;
}

/** The current time, ticking every `intervalMs` while the component is shown (countdowns, "2 min ago"). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The screen named by the address's fragment (`#/room/diabetes`), as segments. */
export function useRoute(): string[] {
  const [route, setRoute] = useState(parseRoute());
  useEffect(() => {
    const changed = () => setRoute(parseRoute());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function parseRoute(): string[] {
  const hash = window.location.hash.replace(/^#\/?/, '');
  return hash === '' ? [] : hash.split('/').map(decodeURIComponent);
}

export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

/**
 * A screen's calls to the server: `call` clears the last refusal, runs the work and, when it fails, keeps the reason
 * in the member's words for the screen to show (with the failure's own words when the server did not refuse it, e.g.
 * an input the SDK rejected). Resolves true when the work succeeded.
 */
export function useAction(): {
  error: string | undefined;
  call: (work: () => Promise<unknown>) => Promise<boolean>;
  setError: (error: string | undefined) => void;
} {
  const [error, setError] = useState<string | undefined>();
  const call = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      return true;
    } catch (failure) {
      const code = codeOf(failure);
      setError(code === 'unknown' && failure instanceof Error ? `${why(code)} (${failure.message})` : why(code));
      return false;
    }
  };
  return { error, call, setError };
}
