/**
 * Facilitated group sessions: schedules, the meetings they lead to, facilitator controls, turns to speak and
 * attendance. Plain Java; {@link org.kindred.server.group.GroupStore} is where a node's sessions bring group commands.
 */
package org.kindred.server.group;
