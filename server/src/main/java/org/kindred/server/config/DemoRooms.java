package org.kindred.server.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rooms of the embedded default, so that a fresh server is usable for a demo without a configuration file. Each
 * description ends with the house rules because clients show it at the top of the room.
 */
final class DemoRooms {

    private static final String RULES = "be kind, no medical advice as fact, no real names.";

    static final List<RoomConfig> ROOMS = List.of(
            new RoomConfig(
                    "welcome",
                    "Welcome & announcements",
                    "News and how-tos from the facilitators, read-only for members so nothing important gets lost;"
                            + " say hello in any other room and remember: " + RULES,
                    List.of("community"),
                    new LinkedHashSet<>(List.of("facilitator", "moderator"))),
            room(
                    "diabetes",
                    "Diabetes",
                    "Type 1, type 2 and everything between: share what works for everyday management, hypos and"
                            + " burnout, and " + RULES,
                    "condition",
                    "metabolic"),
            room(
                    "long-covid",
                    "Long COVID",
                    "For anyone still living with fatigue, breathlessness or brain fog months after COVID-19; pace"
                            + " yourself, and " + RULES,
                    "condition",
                    "post-viral"),
            room(
                    "depression",
                    "Depression",
                    "A gentle place to talk about low mood, hard days and small wins (if you are in danger, call your"
                            + " local emergency number); " + RULES,
                    "condition",
                    "mental-health"),
            room(
                    "anxiety",
                    "Anxiety",
                    "Worry, panic and social anxiety talked about at your own pace, with no pressure to share more"
                            + " than you want; " + RULES,
                    "condition",
                    "mental-health"),
            room(
                    "chronic-pain",
                    "Chronic pain",
                    "For people living with long-term pain to swap coping strategies, get through flare days and be"
                            + " believed; " + RULES,
                    "condition",
                    "pain"),
            room(
                    "caregivers",
                    "Caregivers",
                    "For partners, parents, children and friends caring for someone who is unwell, because your"
                            + " needs matter too; respect the privacy of the person you care for, and " + RULES,
                    "family",
                    "carers"));

    private DemoRooms() {}

    private static RoomConfig room(String id, String title, String description, String... tags) {
        return new RoomConfig(id, title, description, List.of(tags), Set.of());
    }
}
