package org.kindred.server.group;

import org.kindred.protocol.UserInfo;

/**
 * Who gives a group command, with the roles that matter to groups.
 *
 * @param facilitator whether the user has the facilitator role (it runs the groups that name it)
 * @param moderator   whether the user has the moderator role (it may run any group)
 */
public record Actor(UserInfo user, boolean facilitator, boolean moderator) {

    public String id() {
        return user.id();
    }
}
