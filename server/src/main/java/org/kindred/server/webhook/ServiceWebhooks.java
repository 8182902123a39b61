package org.kindred.server.webhook;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.connection.OnlineUsers;
import org.kindred.server.metrics.KindredMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the support desk and the groups tell their users into webhooks for the people who cannot hear it live —
 * how an app sends a push notification: a request that waits with no mentor online, an offer to a mentor who is not
 * connected, a session that started or ended, a group reminder for a registered member who is not connected. It sees
 * each event as it is sent to a user (after the change is made; in a cluster, by the node that committed it), so it
 * needs no hook in the features themselves. Events carry ids, never text.
 *
 * <p><b>Once per cluster.</b> One change is told to users once, by the node that made it; what is told again (both
 * participants of an ended session, a session announced again to a member who reconnects, on any node) is sent once
 * by claiming the event's key ({@link EventOnce}). A claim that cannot be made (Redis unreachable) sends the event
 * all the same: at least once, like every webhook.
 */
public final class ServiceWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceWebhooks.class);

    private static final String SUPPORT_WAITING = "support.waiting_no_mentor";
    private static final String OFFER_TO_OFFLINE_MENTOR = "support.offer_to_offline_mentor";
    private static final String SESSION_STARTED = "session.started";
    private static final String SESSION_ENDED = "session.ended";
    private static final String GROUP_REMINDER = "group.reminder";

    private final Webhooks webhooks;
    private final OnlineUsers online;
    private final EventOnce once;
    private final KindredMetrics metrics;

    /**
     * @param online whether a user has a connection that hears events live (anywhere in the cluster)
     * @param once   the claims that keep an event told twice from being sent twice
     */
    public ServiceWebhooks(Webhooks webhooks, OnlineUsers online, EventOnce once, KindredMetrics metrics) {
        this.webhooks = webhooks;
        this.online = online;
        this.once = once;
        this.metrics = metrics;
        if (webhooks.enabled()) {
            for (String type :
                    List.of(SUPPORT_WAITING, OFFER_TO_OFFLINE_MENTOR, SESSION_STARTED, SESSION_ENDED, GROUP_REMINDER)) {
                metrics.bindWebhookClaims(type);
            }
        }
    }

    /** An event the support desk sent to a user. */
    public void support(String userId, ServerMessage event) {
        switch (event) {
            case ServerMessage.SupportUnavailable waiting ->
                publishOnce(
                        SUPPORT_WAITING,
                        waiting.requestId(),
                        data(
                                "requestId", waiting.requestId(),
                                "userId", userId,
                                "position", waiting.position()));
            case ServerMessage.SupportOffer offer
            when !online.online(userId) ->
                publishOnce(
                        OFFER_TO_OFFLINE_MENTOR,
                        offer.requestId() + ":" + userId + ":" + offer.expiresAt(),
                        data(
                                "requestId", offer.requestId(),
                                "mentorId", userId,
                                "condition", offer.condition(),
                                "language", offer.language(),
                                "urgent", Boolean.TRUE.equals(offer.urgent()),
                                "expiresAt", offer.expiresAt()));
            case ServerMessage.SessionStarted started
            when started.member().id().equals(userId) ->
                publishOnce(
                        SESSION_STARTED,
                        started.sessionId() + ":" + started.mentor().id(),
                        data(
                                "sessionId", started.sessionId(),
                                "requestId", started.requestId(),
                                "memberId", started.member().id(),
                                "mentorId", started.mentor().id(),
                                "condition", started.condition(),
                                "continued", started.continued()));
            case ServerMessage.SessionEnded end ->
                publishOnce(
                        SESSION_ENDED,
                        end.sessionId(),
                        data(
                                "sessionId", end.sessionId(),
                                "endedBy",
                                        end.endedBy() == null
                                                ? null
                                                : end.endedBy().id(),
                                "reason", end.reason()));
            default -> {}
        }
    }

    /** An event the groups sent to users. */
    public void groups(Collection<String> userIds, ServerMessage event) {
        if (event instanceof ServerMessage.GroupReminder reminder) {
            for (String userId : userIds) {
                if (!online.online(userId)) {
                    publishOnce(
                            GROUP_REMINDER,
                            reminder.group().groupId() + ":" + reminder.group().startsAt() + ":" + userId,
                            data(
                                    "groupId", reminder.group().groupId(),
                                    "userId", userId,
                                    "startsAt", reminder.group().startsAt(),
                                    "startsInSeconds", reminder.startsInSeconds()));
                }
            }
        }
    }

    private void publishOnce(String type, String key, Map<String, Object> data) {
        var unused = once.claim(type + ":" + key).handle((first, error) -> {
            if (error != null) {
                LOG.debug("webhook {}: the claim failed ({}); sending it all the same", type, error.toString());
            }
            metrics.webhookClaimed(type, error != null ? "unclaimed" : first ? "sent" : "repeat");
            if (error != null || first) {
                webhooks.publish(type, data);
            }
            return null;
        });
    }

    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            data.put((String) pairs[i], pairs[i + 1]);
        }
        return data;
    }
}
