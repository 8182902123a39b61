-- Moderator queues (issue 16 item 3) and check-ins (item 2): appeals of sanctions, moderators' offers of a private
-- check-in after a crisis alert, and the indexes the paged queues read by (docs/safety.md#moderator-queues).

-- A member's appeal of one of its sanctions: one per sanction; open until a moderator decides it.
CREATE TABLE appeals (
    appeal_id   VARCHAR(100) PRIMARY KEY,
    sanction_id VARCHAR(100) NOT NULL UNIQUE,
    user_id     VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL,
    status      VARCHAR(20)  NOT NULL,
    body        VARCHAR      NOT NULL
);
CREATE INDEX appeals_open ON appeals (status, created_at, appeal_id);
CREATE INDEX appeals_user ON appeals (user_id);

-- A moderator's offer of a private check-in to the author of a crisis alert: one per alert.
CREATE TABLE check_ins (
    check_in_id  VARCHAR(100) PRIMARY KEY,
    alert_id     VARCHAR(100) NOT NULL UNIQUE,
    member_id    VARCHAR(200) NOT NULL,
    moderator_id VARCHAR(200) NOT NULL,
    offered_at   BIGINT       NOT NULL,
    status       VARCHAR(20)  NOT NULL,
    body         VARCHAR      NOT NULL
);
CREATE INDEX check_ins_member ON check_ins (member_id);

CREATE INDEX held_messages_at ON held_messages (held_at, held_id);
CREATE INDEX mentor_notes_at ON mentor_notes (note_id);
CREATE INDEX support_sessions_rating ON support_sessions (rating, ended_at, session_id);
CREATE INDEX sanctions_applied ON sanctions (applied_at, sanction_id);
CREATE INDEX audit_log_target_seq ON audit_log (target_id, seq);
