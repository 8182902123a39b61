package org.kindred.server.support;

import java.util.List;
import java.util.Map;
import org.kindred.protocol.CrisisResource;

/**
 * The crisis resources a node shows when its configuration names none: public lines in English and French. A
 * deployment should configure the ones of its own country.
 */
final class DefaultCrisisResources {

    private DefaultCrisisResources() {}

    static final Map<String, List<CrisisResource>> ALL = Map.of(
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
}
