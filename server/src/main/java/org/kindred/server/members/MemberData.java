package org.kindred.server.members;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.UserInfo;

/**
 * What Kindred holds about one member, gathered for an export (GDPR Art. 15 and 20) or removed for an erasure
 * (Art. 17). Operators run both for a member through the server API; both are audited. {@code docs/data.md} lists what
 * an export holds and what an erasure removes and keeps.
 */
public interface MemberData {

    /**
     * Everything held about the member, as a JSON tree: its messages still in history, the reports it filed and those
     * about it, its sessions with their ratings and notes, its attendance, the audit entries that name it, its
     * sanctions, blocks and first sign-in, and the crisis alerts and held messages of its words. Audited as
     * {@code member_exported} by {@code by}.
     */
    CompletableFuture<Map<String, Object>> export(String userId, UserInfo by);

    /**
     * Removes the member's data everywhere, keeping only what safety needs, in minimal form. Audited as
     * {@code member_erased} by {@code by}, naming the member by its new opaque id only.
     */
    CompletableFuture<Erasure> erase(String userId, UserInfo by);

    /**
     * What an erasure did.
     *
     * @param opaqueId the id that now stands for the member in the records that were kept (the audit log)
     * @param removed  how many of each kind were removed or redacted
     * @param kept     what was kept and why, in minimal form (a ban in force)
     */
    record Erasure(String opaqueId, Map<String, Integer> removed, List<Map<String, Object>> kept) {
        public Erasure {
            removed = Map.copyOf(removed);
            kept = List.copyOf(kept);
        }
    }
}
