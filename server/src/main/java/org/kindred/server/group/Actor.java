package org.kindred.server.group;

import org.kindred.protocol.UserInfo;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;

/**
 * Who gives a group command, with the roles that matter to groups.
 *
 * @param facilitator whether the user has the facilitator role (it runs the groups that name it)
 * @param moderator   whether the user has the moderator role (it may run any group)
 */
public record Actor(UserInfo user, boolean facilitator, boolean moderator) {

    /** A signed-in user as group commands see it. */
    public static Actor of(Identity identity) {
        return new Actor(identity.toUserInfo(), identity.has(Role.FACILITATOR), identity.has(Role.MODERATOR));
    }

    public String id() {
        return user.id();
    }
}
