/** Receives events of one name, with that event's payload. */
export type Listener<T> = (event: T) => void;

/**
 * A small typed event emitter. Listeners run synchronously, in the order they were added; one that throws is reported
 * to `onListenerError` and does not stop the others.
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (name: keyof Events, error: unknown) => void) {}

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  /** Removes a listener added with {@link on}. */
  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.listeners.get(name)?.delete(listener as Listener<never>);
  }

  /** Resolves with the next event of this name. */
  once<K extends keyof Events>(name: K): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(name, (event) => {
        off();
        resolve(event);
      });
    });
  }

  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    const set = this.listeners.get(name);
    if (set === undefined) {
      return;
    }
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(event);
      } catch (error) {
        this.onListenerError(name, error);
      }
    }
  }
}
