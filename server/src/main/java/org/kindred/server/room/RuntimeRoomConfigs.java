package org.kindred.server.room;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ManagedRoom;
import org.kindred.protocol.RoomAudienceInfo;
import org.kindred.server.config.RoomAudience;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.config.RoomRule;

/**
 * Turns the moderators' room commands into a room's configuration, and a stored room into what moderators read. The
 * one meeting point of the protocol and {@link RoomConfig}, whose constructor holds every rule (id, title, roles,
 * rules, claims): the WebSocket commands and the server API (which reads its bodies as these commands) share it.
 */
final class RuntimeRoomConfigs {

    private RuntimeRoomConfigs() {}

    /**
     * The room {@code create_room} asks for.
     *
     * @throws org.kindred.server.config.ConfigException naming the first field that breaks a rule
     */
    static RoomConfig created(ClientMessage.CreateRoom c) {
        RoomConfig config = RoomConfig.withRuleNames(
                        c.room(),
                        c.title(),
                        c.description(),
                        c.tags(),
                        c.writers() == null ? null : new LinkedHashSet<>(c.writers()),
                        c.rules() == null ? null : new LinkedHashSet<>(c.rules()))
                .withAudience(audience(c.audience()));
        return c.presence() == null ? config : config.withPresence(c.presence());
    }

    /**
     * {@code base} with the fields {@code edit_room} sends; those it leaves out stay as they are.
     *
     * @throws org.kindred.server.config.ConfigException naming the first field that breaks a rule
     */
    static RoomConfig edited(RoomConfig base, ClientMessage.EditRoom c) {
        RoomConfig config = RoomConfig.withRuleNames(
                        base.id(),
                        c.title() != null ? c.title() : base.title(),
                        c.description() != null ? c.description() : base.description(),
                        c.tags() != null ? c.tags() : base.tags(),
                        c.writers() != null ? new LinkedHashSet<>(c.writers()) : base.writers(),
                        c.rules() != null ? new LinkedHashSet<>(c.rules()) : ruleNames(base.rules()))
                .withAudience(c.audience() != null ? audience(c.audience()) : base.audience());
        return config.withPresence(c.presence() != null ? c.presence() : presence(base));
    }

    /** A stored room as moderators read it. */
    static ManagedRoom view(RoomRecords.Stored room) {
        RoomConfig config = room.config();
        Map<String, List<String>> claims = new LinkedHashMap<>();
        config.audience()
                .claims()
                .forEach((name, values) ->
                        claims.put(name, values.stream().sorted().toList()));
        return new ManagedRoom(
                config.id(),
                config.title(),
                config.description(),
                config.tags(),
                new ArrayList<>(config.writers()),
                ruleNames(config.rules()).stream().sorted().toList(),
                presence(config),
                new RoomAudienceInfo(new ArrayList<>(config.audience().roles()), claims),
                room.archived(),
                room.createdBy(),
                room.createdAt(),
                room.updatedAt());
    }

    private static RoomAudience audience(RoomAudienceInfo audience) {
        if (audience == null) {
            return RoomAudience.EVERYONE;
        }
        Map<String, Set<String>> claims = new LinkedHashMap<>();
        audience.claims().forEach((name, values) -> claims.put(name, new LinkedHashSet<>(values)));
        return new RoomAudience(new LinkedHashSet<>(audience.roles()), claims);
    }

    private static Set<String> ruleNames(Set<RoomRule> rules) {
        Set<String> names = new LinkedHashSet<>();
        rules.forEach(rule -> names.add(rule.wire()));
        return names;
    }

    private static String presence(RoomConfig config) {
        return config.countOnly() ? "count" : "names";
    }
}
