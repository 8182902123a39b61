package org.kindred.protocol;

import java.util.List;

/**
 * The golden wire examples: one or more per message type, each an exact JSON string (fields in record component order,
 * {@code type} first, null fields left out) and the record it stands for. docs/protocol.md shows the same examples;
 * {@link ProtocolDocTest} keeps the two in step.
 */
final class Golden {

    record Example(String name, String json, Object message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final UserInfo ROBIN = new UserInfo("u-7f3a", "Robin", "member");
    static final UserInfo SAM = new UserInfo("u-91c0", "Sam", "mentor");

    static final Limits DEFAULT_LIMITS = new Limits(4000, 65536, 10, 20, 100, 50, 60000);

    static final ServerMessage.ChatMessage MESSAGE_42 = new ServerMessage.ChatMessage(
            "diabetes-t1", 42, "m-1042", SAM, "Welcome, Robin!", 1767225600000L, "c-9a1b-0007");
    static final ServerMessage.ChatMessage MESSAGE_43 = new ServerMessage.ChatMessage(
            "diabetes-t1", 43, "m-1043", ROBIN, "Anyone else up at 3am checking levels?", 1767225660000L, "c-5d2e-0001");

    static final List<Example> CLIENT = List.of(
            new Example("hello", """
                    {"type":"hello","ref":"1","token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxYzAifQ.c2ln","protocolVersion":1}""",
                    new ClientMessage.Hello("1", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxYzAifQ.c2ln", 1)),
            new Example("list_rooms", """
                    {"type":"list_rooms","ref":"2"}""",
                    new ClientMessage.ListRooms("2")),
            new Example("join", """
                    {"type":"join","ref":"3","room":"diabetes-t1"}""",
                    new ClientMessage.Join("3", "diabetes-t1", null, null)),
            new Example("join (resume)", """
                    {"type":"join","ref":"3","room":"diabetes-t1","since":41,"epoch":"e-2b91"}""",
                    new ClientMessage.Join("3", "diabetes-t1", 41L, "e-2b91")),
            new Example("leave", """
                    {"type":"leave","ref":"9","room":"diabetes-t1"}""",
                    new ClientMessage.Leave("9", "diabetes-t1")),
            new Example("send", """
                    {"type":"send","ref":"4","room":"diabetes-t1","clientMsgId":"c-5d2e-0001","text":"Anyone else up at 3am checking levels?"}""",
                    new ClientMessage.Send("4", "diabetes-t1", "c-5d2e-0001", "Anyone else up at 3am checking levels?")),
            new Example("history", """
                    {"type":"history","ref":"5","room":"diabetes-t1","before":42,"limit":50}""",
                    new ClientMessage.FetchHistory("5", "diabetes-t1", 42L, 50)),
            new Example("typing", """
                    {"type":"typing","room":"diabetes-t1","active":true}""",
                    new ClientMessage.Typing(null, "diabetes-t1", true)),
            new Example("ping", """
                    {"type":"ping","ref":"7"}""",
                    new ClientMessage.Ping("7")));

    static final List<Example> SERVER = List.of(
            new Example("welcome", """
                    {"type":"welcome","ref":"1","protocolVersion":1,"user":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},\
                    "roles":["member","mentor"],"limits":{"maxTextLength":4000,"maxFrameBytes":65536,"ratePerSecond":10.0,\
                    "rateBurst":20,"historyPageMax":100,"joinHistory":50,"idleTimeoutMillis":60000},"sessionId":"s-4c8e1f"}""",
                    new ServerMessage.Welcome("1", 1, SAM, List.of("member", "mentor"), DEFAULT_LIMITS, "s-4c8e1f")),
            new Example("rooms", """
                    {"type":"rooms","ref":"2","rooms":[{"id":"diabetes-t1","title":"Type 1 diabetes",\
                    "description":"Living with type 1. Be kind; no medical advice.","tags":["diabetes"],"online":12,\
                    "writable":true},{"id":"announcements","title":"Announcements","description":"News from the team.",\
                    "tags":[],"online":40,"writable":false}]}""",
                    new ServerMessage.RoomList("2", List.of(
                            new RoomInfo("diabetes-t1", "Type 1 diabetes", "Living with type 1. Be kind; no medical advice.",
                                    List.of("diabetes"), 12, true),
                            new RoomInfo("announcements", "Announcements", "News from the team.", List.of(), 40, false)))),
            new Example("joined", """
                    {"type":"joined","ref":"3","room":"diabetes-t1","epoch":"e-2b91","lastSeq":42,"recovered":true,\
                    "messages":[{"type":"message","room":"diabetes-t1","seq":42,"id":"m-1042",\
                    "author":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},"text":"Welcome, Robin!","ts":1767225600000,\
                    "clientMsgId":"c-9a1b-0007"}],"hasMore":false,"presence":[{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},\
                    {"id":"u-7f3a","pseudonym":"Robin","role":"member"}]}""",
                    new ServerMessage.Joined("3", "diabetes-t1", "e-2b91", 42, true, List.of(MESSAGE_42), false,
                            List.of(SAM, ROBIN))),
            new Example("left", """
                    {"type":"left","ref":"9","room":"diabetes-t1"}""",
                    new ServerMessage.Left("9", "diabetes-t1")),
            new Example("ack", """
                    {"type":"ack","ref":"4","room":"diabetes-t1","clientMsgId":"c-5d2e-0001","id":"m-1043","seq":43,\
                    "ts":1767225660000,"duplicate":false}""",
                    new ServerMessage.Ack("4", "diabetes-t1", "c-5d2e-0001", "m-1043", 43, 1767225660000L, false)),
            new Example("ack (duplicate)", """
                    {"type":"ack","ref":"8","room":"diabetes-t1","clientMsgId":"c-5d2e-0001","id":"m-1043","seq":43,\
                    "ts":1767225660000,"duplicate":true}""",
                    new ServerMessage.Ack("8", "diabetes-t1", "c-5d2e-0001", "m-1043", 43, 1767225660000L, true)),
            new Example("message", """
                    {"type":"message","room":"diabetes-t1","seq":43,"id":"m-1043",\
                    "author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Anyone else up at 3am checking levels?","ts":1767225660000,"clientMsgId":"c-5d2e-0001"}""",
                    MESSAGE_43),
            new Example("history", """
                    {"type":"history","ref":"5","room":"diabetes-t1","messages":[{"type":"message","room":"diabetes-t1",\
                    "seq":41,"id":"m-1041","author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Thanks, that helps.","ts":1767225500000,"clientMsgId":"c-5d2e-0000"}],"hasMore":true}""",
                    new ServerMessage.History("5", "diabetes-t1", List.of(new ServerMessage.ChatMessage(
                            "diabetes-t1", 41, "m-1041", ROBIN, "Thanks, that helps.", 1767225500000L, "c-5d2e-0000")),
                            true)),
            new Example("presence_joined", """
                    {"type":"presence_joined","room":"diabetes-t1","user":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "online":13}""",
                    new ServerMessage.PresenceJoined("diabetes-t1", ROBIN, 13)),
            new Example("presence_left", """
                    {"type":"presence_left","room":"diabetes-t1","user":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "online":12}""",
                    new ServerMessage.PresenceLeft("diabetes-t1", ROBIN, 12)),
            new Example("typing", """
                    {"type":"typing","room":"diabetes-t1","user":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},\
                    "active":true}""",
                    new ServerMessage.TypingEvent("diabetes-t1", SAM, true)),
            new Example("error", """
                    {"type":"error","ref":"4","code":"not_in_room","message":"join room 'diabetes-t1' first",\
                    "retryable":false}""",
                    ServerMessage.Error.of("4", ErrorCode.NOT_IN_ROOM, "join room 'diabetes-t1' first")),
            new Example("error (rate_limited)", """
                    {"type":"error","ref":"6","code":"rate_limited","message":"too many commands","retryable":true,\
                    "retryAfterMs":250}""",
                    new ServerMessage.Error("6", "rate_limited", "too many commands", true, 250L)),
            new Example("error (no ref)", """
                    {"type":"error","code":"bad_json","message":"frame is not valid JSON","retryable":false}""",
                    ServerMessage.Error.of(null, ErrorCode.BAD_JSON, "frame is not valid JSON")),
            new Example("pong", """
                    {"type":"pong","ref":"7"}""",
                    new ServerMessage.Pong("7")));

    private Golden() {
    }
}
