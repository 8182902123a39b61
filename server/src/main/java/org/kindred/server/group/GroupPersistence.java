package org.kindred.server.group;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a {@link GroupService}'s groups in its {@link GroupRecords}: remembers what was saved last and hands the
 * records only the groups whose JSON changed since, in the order the exports were taken.
 */
public final class GroupPersistence {

    private final GroupService service;
    private final GroupRecords records;
    private Map<String, String> saved = new HashMap<>();

    public GroupPersistence(GroupService service, GroupRecords records) {
        this.service = service;
        this.records = records;
    }

    /** Loads the kept groups into the service (replacing its state), and returns how many there were. */
    public synchronized int restore() {
        Map<String, String> kept = records.load();
        service.importGroups(kept);
        saved = new HashMap<>(service.exportGroups());
        return kept.size();
    }

    /** Whether the records hold any group. */
    public boolean keepsAny() {
        return !records.load().isEmpty();
    }

    /** Saves what changed since the last call. */
    public synchronized void persist() {
        persist(service.exportGroups());
    }

    /** Saves what changed in this export of the groups since the last call. */
    public synchronized void persist(Map<String, String> now) {
        Map<String, String> changed = new LinkedHashMap<>();
        now.forEach((id, body) -> {
            if (!body.equals(saved.get(id))) {
                changed.put(id, body);
            }
        });
        Set<String> removed = new LinkedHashSet<>(saved.keySet());
        removed.removeAll(now.keySet());
        if (!changed.isEmpty() || !removed.isEmpty()) {
            records.save(changed, removed);
            saved = new HashMap<>(now);
        }
    }
}
