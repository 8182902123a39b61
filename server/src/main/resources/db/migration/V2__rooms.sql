-- Rooms made at run time by moderators or the server API (issue 17 item 5). The configuration file's rooms are not
-- here: the file stays their only source. body is the room's configuration as JSON (title, description, tags,
-- writers, rules, audience).
CREATE TABLE rooms (
    room_id    VARCHAR(64)  PRIMARY KEY,
    archived   BOOLEAN      NOT NULL,
    created_by VARCHAR(200) NOT NULL,
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL,
    body       VARCHAR      NOT NULL
);
