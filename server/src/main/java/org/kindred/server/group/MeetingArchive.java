package org.kindred.server.group;

import java.util.Optional;

/**
 * Where closed meetings are kept, apart from the live state: only their attendance is ever read again, rarely, and a
 * year of weekly meetings would otherwise weigh on every group command. Each is stored as the JSON the state uses.
 */
public interface MeetingArchive {

    /** Keeps a closed meeting under its room id. */
    void keep(String room, String meeting);

    /** A closed meeting, if it is still kept. */
    Optional<String> find(String room);

    /** Forgets a meeting that fell out of its group's last meetings. */
    void forget(String room);
}
