package org.kindred.server.group;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Closed meetings in this node's memory: the single-node default, lost at restart with the schedules. */
public final class LocalMeetingArchive implements MeetingArchive {

    private final Map<String, String> meetings = new ConcurrentHashMap<>();

    @Override
    public void keep(String room, String meeting) {
        meetings.put(room, meeting);
    }

    @Override
    public Optional<String> find(String room) {
        return Optional.ofNullable(meetings.get(room));
    }

    @Override
    public void forget(String room) {
        meetings.remove(room);
    }
}
