package org.kindred.protocol;

import static org.kindred.protocol.InvalidMessageException.required;

/**
 * A user as others see it: a stable id, a pseudonym (never a real name) and the user's main role.
 *
 * @param id        the user's stable id (the token's {@code sub})
 * @param pseudonym the name shown to others
 * @param role      the user's main role: {@code member}, {@code mentor}, {@code facilitator} or {@code moderator}
 */
public record UserInfo(String id, String pseudonym, String role) {
    public UserInfo {
        required(id, "id");
        required(pseudonym, "pseudonym");
        required(role, "role");
    }
}
