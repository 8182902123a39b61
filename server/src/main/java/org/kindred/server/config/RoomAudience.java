package org.kindred.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;

/**
 * Who may read a room. Everyone, when both parts are empty ({@link #EVERYONE}); otherwise a user is in the audience
 * when it holds one of {@code roles}, or when its token carries every claim of {@code claims} with one of the values
 * listed for it (an age band, a verified-adult flag). Moderators are in every audience: they must be able to act on
 * what is written anywhere. A user outside the audience does not see the room: it is not listed, cannot be joined,
 * its history cannot be read and its presence is never sent.
 *
 * @param roles  wire names of roles that may read the room
 * @param claims token claim name to the values (as text: {@code "true"}, {@code "18+"}) that admit a user
 */
public record RoomAudience(Set<String> roles, Map<String, Set<String>> claims) {

    /** Everyone who signs in. */
    public static final RoomAudience EVERYONE = new RoomAudience(Set.of(), Map.of());

    private static final Pattern CLAIM = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

    public RoomAudience {
        Set<String> checkedRoles = new LinkedHashSet<>();
        for (String role : roles == null ? Set.<String>of() : roles) {
            if (role == null || Role.fromWire(role).isEmpty()) {
                throw ConfigException.about(
                        "rooms",
                        "audience roles: " + quote(role) + " is not a role (expected: one of " + Role.wireNames()
                                + ")");
            }
            checkedRoles.add(role);
        }
        Map<String, Set<String>> checkedClaims = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> claim :
                (claims == null ? Map.<String, Set<String>>of() : claims).entrySet()) {
            String name = claim.getKey();
            if (name == null || !CLAIM.matcher(name).matches() || Identity.RESERVED_CLAIMS.contains(name)) {
                throw ConfigException.about(
                        "rooms",
                        "audience claims: " + quote(name) + " (expected: a claim name of 1-64 letters, digits, '_',"
                                + " '.', ':', '-', other than " + Identity.RESERVED_CLAIMS + ")");
            }
            Collection<String> values = claim.getValue();
            if (values == null || values.isEmpty() || values.stream().anyMatch(v -> v == null || v.isBlank())) {
                throw ConfigException.about(
                        "rooms", "audience claims: '" + name + "' lists no value (expected: one or more values)");
            }
            checkedClaims.put(name, Set.copyOf(values));
        }
        roles = java.util.Collections.unmodifiableSet(checkedRoles);
        claims = java.util.Collections.unmodifiableMap(checkedClaims);
    }

    /**
     * An audience written as {@code {roles: [...], claims: {name: value or [values]}}} (the configuration file, the
     * server API).
     *
     * @param where what the audience belongs to, for messages ({@code rooms[2].audience})
     * @throws ConfigException naming the first thing that is wrong
     */
    public static RoomAudience fromJson(String where, JsonNode node) {
        if (node == null || node.isNull()) {
            return EVERYONE;
        }
        if (!node.isObject()) {
            throw new ConfigException(where + ": expected a mapping with roles and/or claims");
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            if (!name.equals("roles") && !name.equals("claims")) {
                throw new ConfigException("unknown setting '" + where + "." + name + "' (expected: roles, claims)");
            }
        }
        Set<String> roles = new LinkedHashSet<>(values(where + ".roles", node.get("roles")));
        Map<String, Set<String>> claims = new LinkedHashMap<>();
        JsonNode claimNodes = node.get("claims");
        if (claimNodes != null && !claimNodes.isNull()) {
            if (!claimNodes.isObject()) {
                throw new ConfigException(where + ".claims: expected a mapping of claim name to value(s)");
            }
            for (Map.Entry<String, JsonNode> claim : claimNodes.properties()) {
                claims.put(
                        claim.getKey(),
                        new LinkedHashSet<>(values(where + ".claims." + claim.getKey(), claim.getValue())));
            }
        }
        try {
            return new RoomAudience(roles, claims);
        } catch (ConfigException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static List<String> values(String where, JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!value.isValueNode() || value.isNull()) {
                throw new ConfigException(where + ": expected a value or a list of values");
            }
            values.add(value.asText().trim());
        }
        return values;
    }

    /** The audience as the server API and the protocol show it. */
    public Map<String, Object> toMap() {
        return Map.of("roles", roles, "claims", claims);
    }

    /** Whether everyone may read the room. */
    public boolean everyone() {
        return roles.isEmpty() && claims.isEmpty();
    }

    /** Whether this user may read the room. */
    public boolean admits(Identity user) {
        if (everyone() || user.has(Role.MODERATOR)) {
            return true;
        }
        if (user.roleNames().stream().anyMatch(roles::contains)) {
            return true;
        }
        return !claims.isEmpty()
                && claims.entrySet().stream().allMatch(claim -> {
                    String value = user.claims().get(claim.getKey());
                    // Set.copyOf's sets throw on contains(null): a token without the claim is simply out.
                    return value != null && claim.getValue().contains(value);
                });
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
