package org.kindred.server.support;

/**
 * Where what lasts of a one-to-one session goes once it ended (the system of record, {@code docs/data.md}): who and
 * when, the member's rating, the mentors' notes; never the messages. Each call returns at once; the writing happens
 * off the caller's thread.
 */
public interface SessionRecords {

    /** A session ended. */
    void ended(SupportService.SessionRecord session);

    /** The member rated an ended session. */
    void rated(SupportService.SessionRecord session);

    /** A mentor left a private note about a session. */
    void noted(String sessionId, String mentorId, String note, long at);

    /** Keeps nothing beyond the live state. */
    SessionRecords NONE = new SessionRecords() {
        @Override
        public void ended(SupportService.SessionRecord session) {}

        @Override
        public void rated(SupportService.SessionRecord session) {}

        @Override
        public void noted(String sessionId, String mentorId, String note, long at) {}
    };
}
