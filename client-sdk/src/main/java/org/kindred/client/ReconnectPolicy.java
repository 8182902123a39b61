package org.kindred.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before each reconnect attempt: exponential backoff with full jitter. Attempt {@code n} (counted
 * from 0) waits a uniformly random delay between zero and {@code min(maxDelay, initialDelay * factor^n)}, so that
 * many clients dropped at once do not come back at once. Immutable and thread-safe.
 *
 * <pre>{@code
 * ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(500)).maxAttempts(20).build();
 * }</pre>
 */
public final class ReconnectPolicy {

    /** Default upper bound of the first delay: 200 ms. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(200);
    /** Default upper bound of any delay: 10 s. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(10);
    /** Default growth of the bound from one attempt to the next: 2. */
    public static final double DEFAULT_FACTOR = 2.0;
    /** Default number of attempts: unlimited. */
    public static final int UNLIMITED_ATTEMPTS = Integer.MAX_VALUE;

    private static final ReconnectPolicy DEFAULTS = builder().build();
    private static final ReconnectPolicy NONE = builder().maxAttempts(0).build();

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double factor;
    private final int maxAttempts;

    private ReconnectPolicy(Builder builder) {
        this.initialDelay = builder.initialDelay;
        this.maxDelay = builder.maxDelay;
        this.factor = builder.factor;
        this.maxAttempts = builder.maxAttempts;
    }

    /** The default policy: 200 ms initial bound, doubling up to 10 s, unlimited attempts. */
    public static ReconnectPolicy defaults() {
        return DEFAULTS;
    }

    /** A policy that never reconnects. */
    public static ReconnectPolicy none() {
        return NONE;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The delay before attempt {@code attempt} (0 for the first attempt after a drop), or empty when the policy allows
     * no more attempts.
     *
     * @param attempt how many attempts were already made since the last successful connection; {@code >= 0}
     * @param random  the source of jitter
     */
    public Optional<Duration> delay(int attempt, RandomGenerator random) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt: " + attempt + " (expected: >= 0)");
        }
        Objects.requireNonNull(random, "random");
        if (attempt >= maxAttempts) {
            return Optional.empty();
        }
        long bound = bound(attempt).toMillis();
        return Optional.of(Duration.ofMillis(bound == 0 ? 0 : random.nextLong(bound + 1)));
    }

    /** The largest delay attempt {@code attempt} may wait: {@code min(maxDelay, initialDelay * factor^attempt)}. */
    public Duration bound(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(factor, attempt);
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    /** The bound of the first delay. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** The bound no delay exceeds. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** How much the bound grows from one attempt to the next. */
    public double factor() {
        return factor;
    }

    /** How many attempts are made after a drop before giving up; {@link #UNLIMITED_ATTEMPTS} for no limit. */
    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public String toString() {
        return "ReconnectPolicy{initialDelay=" + initialDelay + ", maxDelay=" + maxDelay + ", factor=" + factor
                + ", maxAttempts=" + (maxAttempts == UNLIMITED_ATTEMPTS ? "unlimited" : maxAttempts) + '}';
    }

    /** Builds a {@link ReconnectPolicy}; every setting starts at its default. */
    public static final class Builder {
        private Duration initialDelay = DEFAULT_INITIAL_DELAY;
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private double factor = DEFAULT_FACTOR;
        private int maxAttempts = UNLIMITED_ATTEMPTS;

        private Builder() {}

        /** The bound of the first delay; positive. Default {@link #DEFAULT_INITIAL_DELAY 200 ms}. */
        public Builder initialDelay(Duration initialDelay) {
            this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
            return this;
        }

        /** The bound no delay exceeds; at least {@code initialDelay}. Default {@link #DEFAULT_MAX_DELAY 10 s}. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /** How much the bound grows per attempt; at least 1. Default {@link #DEFAULT_FACTOR 2}. */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** How many attempts after a drop before giving up; 0 never reconnects. Default unlimited. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Checks the settings and builds the policy.
         *
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public ReconnectPolicy build() {
            if (initialDelay.isNegative() || initialDelay.isZero()) {
                throw new IllegalArgumentException("initialDelay: " + initialDelay + " (expected: > 0)");
            }
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException(
                        "maxDelay: " + maxDelay + " (expected: >= initialDelay " + initialDelay + ")");
            }
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("factor: " + factor + " (expected: >= 1.0 and finite)");
            }
            if (maxAttempts < 0) {
                throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 0)");
            }
            return new ReconnectPolicy(this);
        }
    }
}
