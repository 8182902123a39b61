package org.kindred.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may read a room made at run time. Everyone, when both parts are empty; otherwise a user is in the audience when
 * it holds one of {@code roles}, or when its token carries every claim of {@code claims} with one of the values listed
 * for it. Moderators are in every audience. The server checks role and claim names ({@code invalid_field}).
 *
 * @param roles  wire names of roles that may read the room ({@code mentor}, ...); empty if absent
 * @param claims token claim name to the values (as text: {@code "true"}, {@code "18+"}) that admit a user; empty if
 *               absent
 */
public record RoomAudienceInfo(
        @MayBeAbsent List<String> roles, @MayBeAbsent Map<String, List<String>> claims) {

    /** Everyone who signs in. */
    public static final RoomAudienceInfo EVERYONE = new RoomAudienceInfo(List.of(), Map.of());

    public RoomAudienceInfo {
        roles = roles == null ? List.of() : List.copyOf(roles);
        Map<String, List<String>> copied = new LinkedHashMap<>();
        if (claims != null) {
            claims.forEach((name, values) -> copied.put(name, values == null ? List.of() : List.copyOf(values)));
        }
        claims = java.util.Collections.unmodifiableMap(copied);
    }
}
