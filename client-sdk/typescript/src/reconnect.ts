/** Settings of {@link ReconnectPolicy}; every one has a default. */
export interface ReconnectOptions {
  /** Upper bound of the first delay, in milliseconds; positive. Default 200. */
  initialDelayMs?: number;
  /** Upper bound of any delay, in milliseconds; at least `initialDelayMs`. Default 10 000. */
  maxDelayMs?: number;
  /** Growth of the bound from one attempt to the next; at least 1. Default 2. */
  factor?: number;
  /** Attempts after a drop before giving up; 0 never reconnects. Default `Infinity`. */
  maxAttempts?: number;
}

/**
 * How long to wait before each reconnect attempt: exponential backoff with full jitter. Attempt `n` (from 0) waits a
 * uniformly random delay between 0 and `min(maxDelayMs, initialDelayMs * factor^n)`, so that many clients dropped at
 * once do not come back at once. The same rule as the Java SDK's `ReconnectPolicy`. Immutable.
 */
export class ReconnectPolicy {
  static readonly DEFAULT_INITIAL_DELAY_MS = 200;
  static readonly DEFAULT_MAX_DELAY_MS = 10_000;
  static readonly DEFAULT_FACTOR = 2;

  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  readonly maxAttempts: number;

  /** @throws RangeError naming the first setting out of range */
  constructor(options: ReconnectOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? ReconnectPolicy.DEFAULT_INITIAL_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? ReconnectPolicy.DEFAULT_MAX_DELAY_MS;
    this.factor = options.factor ?? ReconnectPolicy.DEFAULT_FACTOR;
    this.maxAttempts = options.maxAttempts ?? Infinity;
    if (!(this.initialDelayMs > 0) || !Number.isFinite(this.initialDelayMs)) {
      throw new RangeError(`initialDelayMs: ${this.initialDelayMs} (expected: > 0)`);
    }
    if (!(this.maxDelayMs >= this.initialDelayMs) || !Number.isFinite(this.maxDelayMs)) {
      throw new RangeError(`maxDelayMs: ${this.maxDelayMs} (expected: >= initialDelayMs ${this.initialDelayMs})`);
    }
    if (!(this.factor >= 1) || !Number.isFinite(this.factor)) {
      throw new RangeError(`factor: ${this.factor} (expected: >= 1 and finite)`);
    }
    if (!(this.maxAttempts >= 0) || (Number.isFinite(this.maxAttempts) && !Number.isInteger(this.maxAttempts))) {
      throw new RangeError(`maxAttempts: ${this.maxAttempts} (expected: a whole number >= 0, or Infinity)`);
    }
  }

  /** A policy that never reconnects. */
  static none(): ReconnectPolicy {
    return new ReconnectPolicy({ maxAttempts: 0 });
  }

  /**
   * The delay before attempt `attempt` (0 for the first attempt after a drop), in milliseconds, or `undefined` when
   * the policy allows no more attempts.
   *
   * @param random a source of uniform numbers in [0, 1), like `Math.random`
   */
  delay(attempt: number, random: () => number = Math.random): number | undefined {
    if (!(attempt >= 0)) {
      throw new RangeError(`attempt: ${attempt} (expected: >= 0)`);
    }
    if (attempt >= this.maxAttempts) {
      return undefined;
    }
    return Math.floor(random() * (this.bound(attempt) + 1));
  }

  /** The largest delay attempt `attempt` may wait: `min(maxDelayMs, initialDelayMs * factor^attempt)`. */
  bound(attempt: number): number {
    const ms = this.initialDelayMs * Math.pow(this.factor, attempt);
    return ms >= this.maxDelayMs ? this.maxDelayMs : Math.floor(ms);
  }
}
