package org.kindred.server.group;

import java.util.Map;
import java.util.Set;

/**
 * Where groups are kept durably (the system of record, {@code docs/data.md}): each group (schedule, facilitators,
 * registrations, the meeting on now) as its JSON, under its id. Writes are queued and carried out in the order they
 * were asked for, off the caller's thread; {@link #load()} reads what was written.
 */
public interface GroupRecords {

    /** Every group kept, by id, as JSON. */
    Map<String, String> load();

    /** Writes the groups that changed and forgets the removed ones, after every earlier save. */
    void save(Map<String, String> changed, Set<String> removed);

    /** Keeps nothing: groups live as long as the process (or Redis). */
    GroupRecords NONE = new GroupRecords() {
        @Override
        public Map<String, String> load() {
            return Map.of();
        }

        @Override
        public void save(Map<String, String> changed, Set<String> removed) {}
    };
}
