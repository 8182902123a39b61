package org.kindred.server.webhook;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.kindred.protocol.ServerMessage;

/**
 * Turns what the support desk and the groups tell their users into webhooks for the people who cannot hear it live —
 * how an app sends a push notification: a request that waits with no mentor online, an offer to a mentor who is not
 * connected, a session that started or ended, a group reminder for a registered member who is not connected. It sees
 * each event as it is sent to a user (after the change is made), so it needs no hook in the features themselves.
 * Events carry ids, never text.
 */
public final class ServiceWebhooks {

    /** How many recently ended sessions are remembered, so that each end is sent once (both participants hear it). */
    private static final int ENDED_REMEMBERED = 10_000;

    private final Webhooks webhooks;
    private final Predicate<String> online;
    private final Set<String> ended = ConcurrentHashMap.newKeySet();

    /**
     * @param online whether a user has a connection that hears events live
     */
    public ServiceWebhooks(Webhooks webhooks, Predicate<String> online) {
        this.webhooks = webhooks;
        this.online = online;
    }

    /** An event the support desk sent to a user. */
    public void support(String userId, ServerMessage event) {
        switch (event) {
            case ServerMessage.SupportUnavailable waiting ->
                webhooks.publish(
                        "support.waiting_no_mentor",
                        data(
                                "requestId", waiting.requestId(),
                                "userId", userId,
                                "position", waiting.position()));
            case ServerMessage.SupportOffer offer
            when !online.test(userId) ->
                webhooks.publish(
                        "support.offer_to_offline_mentor",
                        data(
                                "requestId", offer.requestId(),
                                "mentorId", userId,
                                "condition", offer.condition(),
                                "language", offer.language(),
                                "urgent", Boolean.TRUE.equals(offer.urgent()),
                                "expiresAt", offer.expiresAt()));
            case ServerMessage.SessionStarted started
            when started.member().id().equals(userId) ->
                webhooks.publish(
                        "session.started",
                        data(
                                "sessionId", started.sessionId(),
                                "requestId", started.requestId(),
                                "memberId", started.member().id(),
                                "mentorId", started.mentor().id(),
                                "condition", started.condition(),
                                "continued", started.continued()));
            case ServerMessage.SessionEnded end -> {
                if (ended.add(end.sessionId())) {
                    if (ended.size() > ENDED_REMEMBERED) {
                        ended.clear(); // a session ends at most twice in quick succession: forgetting old ones is safe
                        ended.add(end.sessionId());
                    }
                    webhooks.publish(
                            "session.ended",
                            data(
                                    "sessionId", end.sessionId(),
                                    "endedBy",
                                            end.endedBy() == null
                                                    ? null
                                                    : end.endedBy().id(),
                                    "reason", end.reason()));
                }
            }
            default -> {}
        }
    }

    /** An event the groups sent to users. */
    public void groups(Collection<String> userIds, ServerMessage event) {
        if (event instanceof ServerMessage.GroupReminder reminder) {
            for (String userId : userIds) {
                if (!online.test(userId)) {
                    webhooks.publish(
                            "group.reminder",
                            data(
                                    "groupId", reminder.group().groupId(),
                                    "userId", userId,
                                    "startsAt", reminder.group().startsAt(),
                                    "startsInSeconds", reminder.startsInSeconds()));
                }
            }
        }
    }

    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            data.put((String) pairs[i], pairs[i + 1]);
        }
        return data;
    }
}
