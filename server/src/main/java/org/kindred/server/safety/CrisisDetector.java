package org.kindred.server.safety;

import java.util.Optional;

/**
 * Decides whether a message's text says that its author may be in crisis. The text never leaves the server. A
 * detector may miss (members evade word lists) and may err on the side of caution: a hit only makes people look, it
 * never blocks the message.
 */
@FunctionalInterface
public interface CrisisDetector {

    /** A hit, or empty. Must be fast (it runs on every message) and thread-safe. */
    Optional<CrisisHit> detect(String text);

    /**
     * A hit in a message already normalised (shared with the content rules, so that a message is read once). The
     * default reads the raw text again.
     */
    default Optional<CrisisHit> detect(NormalizedText text) {
        return detect(text.raw());
    }

    /**
     * What a detector found.
     *
     * @param language the language whose phrases matched, for example {@code en}: crisis resources are chosen by it
     * @param rule     which phrase or pattern matched, for moderators (never the message text itself)
     */
    record CrisisHit(String language, String rule) {}
}
