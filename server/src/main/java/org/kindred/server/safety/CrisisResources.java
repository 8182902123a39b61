package org.kindred.server.safety;

import java.util.List;
import java.util.Map;
import org.kindred.protocol.CrisisResource;

/**
 * Where to get urgent help, by language: shown to a member whose message reads like a crisis, and to one who waits for
 * a mentor when none is free. A deployment should configure the lines of its own country; without any, the built-in
 * public lines in English and French are shown. English is the fallback language.
 */
public final class CrisisResources {

    /** The public lines shown when the configuration names none. */
    static final Map<String, List<CrisisResource>> BUILT_IN = Map.of(
            "en",
                    List.of(
                            new CrisisResource(
                                    "Emergency services",
                                    "112 (Europe) / 911 (US, Canada) / 999 (UK)",
                                    "If you or someone else is in immediate danger."),
                            new CrisisResource(
                                    "988 Suicide & Crisis Lifeline (US)",
                                    "call or text 988",
                                    "Free, confidential support, 24/7."),
                            new CrisisResource(
                                    "Samaritans (UK and Ireland)",
                                    "116 123",
                                    "Someone to talk to, any time, about anything.")),
            "fr",
                    List.of(
                            new CrisisResource("Urgences", "112 / 15 (SAMU)", "En cas de danger immédiat."),
                            new CrisisResource(
                                    "3114 — numéro national de prévention du suicide",
                                    "3114",
                                    "Gratuit, 24h/24 et 7j/7, partout en France."),
                            new CrisisResource("SOS Amitié", "09 72 39 40 50", "Une écoute, jour et nuit.")));

    private final Map<String, List<CrisisResource>> byLanguage;

    private CrisisResources(Map<String, List<CrisisResource>> byLanguage) {
        this.byLanguage = Map.copyOf(byLanguage);
    }

    /** The configured resources, or the built-in ones when none are configured. */
    public static CrisisResources of(Map<String, List<CrisisResource>> configured) {
        return new CrisisResources(configured.isEmpty() ? BUILT_IN : configured);
    }

    /** The built-in public lines in English and French. */
    public static CrisisResources builtIn() {
        return new CrisisResources(BUILT_IN);
    }

    /** The resources for a language, or the English ones when there are none for it. */
    public List<CrisisResource> forLanguage(String language) {
        return byLanguage.getOrDefault(language, byLanguage.getOrDefault("en", List.of()));
    }
}
