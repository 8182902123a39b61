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

    static final String EDITED_TEXT = "Anyone else up at 3am checking their levels?";
    static final UserInfo ROBIN = new UserInfo("u-7f3a", "Robin", "member");
    static final UserInfo SAM = new UserInfo("u-91c0", "Sam", "mentor");
    static final UserInfo ALEX = new UserInfo("u-3d5b", "Alex", "mentor");
    static final UserInfo CASEY = new UserInfo("u-5e27", "Casey", "member");
    static final UserInfo JO = new UserInfo("u-b2e8", "Jo", "moderator");

    /** A support request, the session it led to, and the request that continues that session with another mentor. */
    static final String REQUEST = "r-8c1d2e";

    static final String SESSION = "s-9e21d4";
    static final String CONTINUATION = "r-b47f10";

    static final Limits DEFAULT_LIMITS = new Limits(4000, 65536, 10, 20, 100, 50, 60000);

    static final ServerMessage.ChatMessage MESSAGE_42 = new ServerMessage.ChatMessage(
            "diabetes-t1", 42, "m-1042", SAM, "Welcome, Robin!", 1767225600000L, "c-9a1b-0007");
    static final ServerMessage.ChatMessage MESSAGE_43 = new ServerMessage.ChatMessage(
            "diabetes-t1",
            43,
            "m-1043",
            ROBIN,
            "Anyone else up at 3am checking levels?",
            1767225660000L,
            "c-5d2e-0001");

    /** Safety: a reported message, the one after it, and a message that reads like a crisis. */
    static final String ALERT = "a-5f10c2";

    static final String REPORT = "rp-3a71e0";
    static final String CRISIS_WORDS = "It sounds like you are going through something very hard right now. You are "
            + "not alone: the moderators have been told and will reach out. If you are in danger, please contact one "
            + "of these now.";
    static final String CRISIS_WORDS_NOBODY = "Please contact one of these lines now: nobody who can help is "
            + "connected here at the moment. It sounds like you are going through something very hard. The moderators "
            + "will see what you wrote as soon as one of them connects.";
    static final String RESOLUTION = "Talked with Casey privately; they posted a correction.";
    static final ServerMessage.ChatMessage MESSAGE_44 = new ServerMessage.ChatMessage(
            "diabetes-t1",
            44,
            "m-1044",
            CASEY,
            "You can skip insulin if you eat low carb, doctors just won't say it.",
            1767225720000L,
            "c-77f0-0003");
    static final ServerMessage.ChatMessage MESSAGE_45 = new ServerMessage.ChatMessage(
            "diabetes-t1",
            45,
            "m-1045",
            SAM,
            "Please don't change doses without your care team.",
            1767225780000L,
            "c-9a1b-0008");
    static final ServerMessage.ChatMessage MESSAGE_46 = new ServerMessage.ChatMessage(
            "diabetes-t1",
            46,
            "m-1046",
            ROBIN,
            "Some nights I just want to end it all.",
            1767229200000L,
            "c-5d2e-0002");
    static final ServerMessage.ReportInfo OPEN_REPORT = new ServerMessage.ReportInfo(
            REPORT,
            "misinformation",
            "Telling people to skip insulin is dangerous.",
            MESSAGE_44,
            List.of(MESSAGE_43, MESSAGE_45),
            ROBIN,
            1767225900000L,
            "open",
            null,
            null,
            "u-5e27",
            "en-GB");
    /** Deletion and blocks: Jo deletes Casey's message 44; Robin blocks Casey, which files a report. */
    static final String DELETE_REASON = "Dangerous advice to skip insulin.";

    static final String BLOCK_COMMENT = "Keeps replying to everything I post.";
    static final String BLOCK_REPORT = "rp-6b20f4";
    static final ServerMessage.ReportInfo BLOCK_REPORT_INFO = new ServerMessage.ReportInfo(
            BLOCK_REPORT,
            "other",
            "blocked: " + BLOCK_COMMENT,
            null,
            List.of(),
            ROBIN,
            1767230400000L,
            "open",
            null,
            null,
            "u-5e27");
    /** A sanction: Jo times Casey out for a day after the misinformation report. */
    static final String SANCTION = "sn-4c81d7";

    static final String SANCTION_REASON = "Repeated advice to skip insulin after a warning.";
    static final ServerMessage.SanctionInfo TIMEOUT = new ServerMessage.SanctionInfo(
            SANCTION, "u-5e27", "timeout", null, SANCTION_REASON, JO, 1767229800000L, 1767316200000L);
    static final ServerMessage.SanctionInfo ROOM_BAN = new ServerMessage.SanctionInfo(
            "sn-7d02e9", "u-5e27", "room_ban", "diabetes-t1", SANCTION_REASON, JO, 1767229800000L, null);
    /** Content rules per room: Robin's message naming a dose is held in room medication; Jo reviews it. */
    static final String HELD = "h-2c9e41";

    static final String HELD_TEXT = "My doctor put me on 500 mg of metformin twice a day, is that a lot?";
    static final String HELD_NOTE = "Dose questions belong with your care team; please ask them.";
    static final ServerMessage.HeldMessage HELD_MESSAGE = new ServerMessage.HeldMessage(
            HELD, "medication", ROBIN, HELD_TEXT, "c-5d2e-0003", "hold_doses", 1767232800000L);
    /** Moderator queues: a page cursor, Casey's appeal of its timeout, Jo's check-in with Robin after the alert. */
    static final String HELD_CURSOR = "MTc2NzIzMjgwMDAwMDpoLTJjOWU0MQ";

    static final String NOTE = "Mentioned skipping insulin doses to lose weight; suggested their diabetes nurse.";
    static final String APPEAL = "ap-61e0b3";
    static final String APPEAL_TEXT =
            "I was quoting the plan my own doctor gave me, not telling anyone else to skip insulin.";
    static final String APPEAL_NOTE = "Thank you for explaining; the timeout is lifted.";
    static final ServerMessage.AppealInfo OPEN_APPEAL =
            new ServerMessage.AppealInfo(APPEAL, TIMEOUT, APPEAL_TEXT, 1767233400000L, "open", null, null, null);
    static final String CHECK_IN = "ci-2b8f4a";
    static final String CHECK_IN_WORDS = "Jo, one of the moderators here, read what you wrote and would like to talk"
            + " with you privately, just the two of you. You can say yes or no; either is fine.";
    static final String REPORT_OUTCOME_WORDS = "Thank you for your report. A moderator has looked into it and done"
            + " what they judged right. To protect everyone's privacy, we do not share the details.";
    static final List<CrisisResource> EN_RESOURCES = List.of(
            new CrisisResource(
                    "Emergency services",
                    "112 (Europe) / 911 (US, Canada) / 999 (UK)",
                    "If you or someone else is in immediate danger."),
            new CrisisResource(
                    "988 Suicide & Crisis Lifeline (US)", "call or text 988", "Free, confidential support, 24/7."),
            new CrisisResource(
                    "Samaritans (UK and Ireland)", "116 123", "Someone to talk to, any time, about anything."));

    /** Group sessions: Dana facilitates a weekly long-COVID group; Robin and Casey attend. */
    static final UserInfo DANA = new UserInfo("u-4a9c", "Dana", "facilitator");

    static final String GROUP = "g-5b7e21";
    static final String GROUP_ROOM = "g-5b7e21-20261203t1800z";
    static final String GROUP_RULES = "Be kind. What is said here stays here. One voice at a time.";
    static final ServerMessage.GroupInfo GROUP_INFO = new ServerMessage.GroupInfo(
            GROUP,
            "Long COVID evening circle",
            "long-covid",
            List.of(DANA),
            "2026-12-03T18:00:00Z",
            "2026-12-03T19:00:00Z",
            "2026-12-03T17:45:00Z",
            60,
            12,
            "weekly",
            "Europe/Paris",
            true,
            5,
            true,
            "scheduled",
            GROUP_ROOM,
            GROUP_RULES,
            true);
    static final ServerMessage.ChatMessage GROUP_MESSAGE = new ServerMessage.ChatMessage(
            GROUP_ROOM, 3, "m-2003", DANA, "Tonight: pacing on bad days.", 1796320860000L, "c-d4a1-0001");

    /** A room a moderator made at run time: adults only, count-only presence. */
    static final RoomAudienceInfo ADULTS =
            new RoomAudienceInfo(List.of(), java.util.Map.of("verified_adult", List.of("true")));

    static final ManagedRoom NIGHT_OWLS = new ManagedRoom(
            "night-owls",
            "Night owls",
            "For those awake at 3am. Be kind.",
            List.of("sleep"),
            List.of(),
            List.of("new_member_contacts", "no_links"),
            "count",
            ADULTS,
            false,
            "u-b2e8",
            1767225600000L,
            1767229200000L);

    static final List<Example> CLIENT = List.of(
            new Example(
                    "hello", """
                    {"type":"hello","ref":"1","token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxYzAifQ.c2ln","protocolVersion":2}""", new ClientMessage.Hello("1", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxYzAifQ.c2ln", 2)),
            new Example(
                    "hello (invisible)",
                    """
                    {"type":"hello","ref":"1","token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxYzAifQ.c2ln","protocolVersion":2,\
                    "invisible":true}""",
                    new ClientMessage.Hello("1", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxYzAifQ.c2ln", 2, true)),
            new Example(
                    "hello (language)",
                    """
                    {"type":"hello","ref":"1","token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxYzAifQ.c2ln","protocolVersion":2,\
                    "language":"fr-CA"}""",
                    new ClientMessage.Hello("1", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxYzAifQ.c2ln", 2, null, "fr-CA")),
            new Example("list_rooms", """
                    {"type":"list_rooms","ref":"2"}""", new ClientMessage.ListRooms("2")),
            new Example("join", """
                    {"type":"join","ref":"3","room":"diabetes-t1"}""", new ClientMessage.Join("3", "diabetes-t1", null, null)),
            new Example("join (resume)", """
                    {"type":"join","ref":"3","room":"diabetes-t1","since":41,"epoch":"e-2b91"}""", new ClientMessage.Join("3", "diabetes-t1", 41L, "e-2b91")),
            new Example("leave", """
                    {"type":"leave","ref":"9","room":"diabetes-t1"}""", new ClientMessage.Leave("9", "diabetes-t1")),
            new Example(
                    "send",
                    """
                    {"type":"send","ref":"4","room":"diabetes-t1","clientMsgId":"c-5d2e-0001","text":"Anyone else up at 3am checking levels?"}""",
                    new ClientMessage.Send(
                            "4", "diabetes-t1", "c-5d2e-0001", "Anyone else up at 3am checking levels?")),
            new Example("history", """
                    {"type":"history","ref":"5","room":"diabetes-t1","before":42,"limit":50}""", new ClientMessage.FetchHistory("5", "diabetes-t1", 42L, 50)),
            new Example("presence", """
                    {"type":"presence","ref":"6","room":"diabetes-t1","after":"u-2c41","limit":100}""", new ClientMessage.FetchPresence("6", "diabetes-t1", "u-2c41", 100)),
            new Example("typing", """
                    {"type":"typing","room":"diabetes-t1","active":true}""", new ClientMessage.Typing(null, "diabetes-t1", true)),
            new Example("ping", """
                    {"type":"ping","ref":"7"}""", new ClientMessage.Ping("7")),
            new Example("refresh", """
                    {"type":"refresh","ref":"r1","token":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}""", new ClientMessage.Refresh("r1", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")),
            new Example(
                    "set_availability",
                    """
                    {"type":"set_availability","ref":"10","available":true,"conditions":["diabetes"],"languages":["en","fr"],\
                    "capacity":3}""",
                    new ClientMessage.SetAvailability("10", true, List.of("diabetes"), List.of("en", "fr"), 3)),
            new Example(
                    "request_support",
                    """
                    {"type":"request_support","ref":"12","condition":"diabetes","language":"en",\
                    "note":"Newly diagnosed and a bit overwhelmed."}""",
                    new ClientMessage.RequestSupport("12", "diabetes", "en", "Newly diagnosed and a bit overwhelmed.")),
            new Example("cancel_support", """
                    {"type":"cancel_support","ref":"13","requestId":"r-8c1d2e"}""", new ClientMessage.CancelSupport("13", REQUEST)),
            new Example("accept_offer", """
                    {"type":"accept_offer","ref":"14","requestId":"r-8c1d2e"}""", new ClientMessage.AcceptOffer("14", REQUEST)),
            new Example("decline_offer", """
                    {"type":"decline_offer","ref":"15","requestId":"r-8c1d2e"}""", new ClientMessage.DeclineOffer("15", REQUEST)),
            new Example("end_session", """
                    {"type":"end_session","ref":"16","sessionId":"s-9e21d4"}""", new ClientMessage.EndSession("16", SESSION)),
            new Example("rate_session", """
                    {"type":"rate_session","ref":"17","sessionId":"s-9e21d4","rating":5,"comment":"Sam really listened."}""", new ClientMessage.RateSession("17", SESSION, 5, "Sam really listened.")),
            new Example(
                    "mentor_note",
                    """
                    {"type":"mentor_note","ref":"18","sessionId":"s-9e21d4",\
                    "note":"Mentioned skipping insulin doses; suggested talking to their diabetes nurse."}""",
                    new ClientMessage.MentorNote(
                            "18",
                            SESSION,
                            "Mentioned skipping insulin doses; suggested talking to their diabetes nurse.")),
            new Example(
                    "propose_handoff",
                    """
                    {"type":"propose_handoff","ref":"19","sessionId":"s-9e21d4","toMentorId":"u-3d5b",\
                    "reason":"Alex has used an insulin pump for years."}""",
                    new ClientMessage.ProposeHandoff(
                            "19", SESSION, "u-3d5b", "Alex has used an insulin pump for years.")),
            new Example(
                    "propose_handoff (next mentor)", """
                    {"type":"propose_handoff","ref":"19","sessionId":"s-9e21d4"}""", new ClientMessage.ProposeHandoff("19", SESSION, null, null)),
            new Example("answer_handoff", """
                    {"type":"answer_handoff","ref":"20","sessionId":"s-9e21d4","consent":true}""", new ClientMessage.AnswerHandoff("20", SESSION, true)),
            new Example("delete_transcript", """
                    {"type":"delete_transcript","ref":"21","sessionId":"s-9e21d4"}""", new ClientMessage.DeleteTranscript("21", SESSION)),
            new Example(
                    "report",
                    """
                    {"type":"report","ref":"22","room":"diabetes-t1","seq":44,"category":"misinformation",\
                    "comment":"Telling people to skip insulin is dangerous."}""",
                    new ClientMessage.Report(
                            "22",
                            "diabetes-t1",
                            44L,
                            "misinformation",
                            "Telling people to skip insulin is dangerous.")),
            new Example(
                    "report (session, no comment)",
                    """
                    {"type":"report","ref":"23","room":"s-9e21d4","seq":7,"category":"harassment"}""",
                    new ClientMessage.Report("23", SESSION, 7L, "harassment", null)),
            new Example("ack_alert", """
                    {"type":"ack_alert","ref":"24","alertId":"a-5f10c2"}""", new ClientMessage.AckAlert("24", ALERT)),
            new Example("list_alerts", """
                    {"type":"list_alerts","ref":"37"}""", new ClientMessage.ListAlerts("37")),
            new Example("list_reports", """
                    {"type":"list_reports","ref":"25"}""", new ClientMessage.ListReports("25")),
            new Example("resolve_report", """
                    {"type":"resolve_report","ref":"26","reportId":"rp-3a71e0",\
                    "resolution":"Talked with Casey privately; they posted a correction."}""", new ClientMessage.ResolveReport("26", REPORT, RESOLUTION)),
            new Example("audit_log", """
                    {"type":"audit_log","ref":"27","limit":50}""", new ClientMessage.ReadAudit("27", 50)),
            new Example(
                    "sanction",
                    """
                    {"type":"sanction","ref":"28","userId":"u-5e27","kind":"timeout",\
                    "reason":"Repeated advice to skip insulin after a warning.","durationSeconds":86400}""",
                    new ClientMessage.Sanction("28", "u-5e27", "timeout", null, SANCTION_REASON, 86400L)),
            new Example(
                    "sanction (room_ban, until lifted)",
                    """
                    {"type":"sanction","ref":"29","userId":"u-5e27","kind":"room_ban","room":"diabetes-t1",\
                    "reason":"Repeated advice to skip insulin after a warning."}""",
                    new ClientMessage.Sanction("29", "u-5e27", "room_ban", "diabetes-t1", SANCTION_REASON, null)),
            new Example(
                    "lift_sanction",
                    """
                    {"type":"lift_sanction","ref":"30","sanctionId":"sn-4c81d7",\
                    "reason":"Casey apologised and posted a correction."}""",
                    new ClientMessage.LiftSanction("30", SANCTION, "Casey apologised and posted a correction.")),
            new Example(
                    "delete_message", """
                    {"type":"delete_message","ref":"32","room":"diabetes-t1","seq":44,\
                    "reason":"Dangerous advice to skip insulin."}""", new ClientMessage.DeleteMessage("32", "diabetes-t1", 44L, DELETE_REASON)),
            new Example("edit_message", """
                    {"type":"edit_message","ref":"31","room":"diabetes-t1","seq":43,\
                    "text":"Anyone else up at 3am checking their levels?"}""", new ClientMessage.EditMessage("31", "diabetes-t1", 43L, EDITED_TEXT)),
            new Example("block", """
                    {"type":"block","ref":"33","userId":"u-5e27","comment":"Keeps replying to everything I post."}""", new ClientMessage.Block("33", "u-5e27", BLOCK_COMMENT)),
            new Example("block (no comment)", """
                    {"type":"block","ref":"33","userId":"u-5e27"}""", new ClientMessage.Block("33", "u-5e27", null)),
            new Example("unblock", """
                    {"type":"unblock","ref":"34","userId":"u-5e27"}""", new ClientMessage.Unblock("34", "u-5e27")),
            new Example("review_held", """
                    {"type":"review_held","ref":"35","heldId":"h-2c9e41","approve":true}""", new ClientMessage.ReviewHeld("35", HELD, true, null)),
            new Example(
                    "review_held (reject, with note)", """
                    {"type":"review_held","ref":"36","heldId":"h-2c9e41","approve":false,\
                    "note":"Dose questions belong with your care team; please ask them."}""", new ClientMessage.ReviewHeld("36", HELD, false, HELD_NOTE)),
            new Example("list_held", """
                    {"type":"list_held","ref":"60","limit":50}""", new ClientMessage.ListHeld("60", null, 50)),
            new Example("list_held (next page)", """
                    {"type":"list_held","ref":"61","cursor":"MTc2NzIzMjgwMDAwMDpoLTJjOWU0MQ","limit":50}""", new ClientMessage.ListHeld("61", HELD_CURSOR, 50)),
            new Example("list_notes", """
                    {"type":"list_notes","ref":"62"}""", new ClientMessage.ListNotes("62", null, null)),
            new Example("list_ratings", """
                    {"type":"list_ratings","ref":"63","maxRating":2,"limit":20}""", new ClientMessage.ListRatings("63", 2, null, 20)),
            new Example("list_sanctions", """
                    {"type":"list_sanctions","ref":"64","userId":"u-5e27"}""", new ClientMessage.ListSanctions("64", "u-5e27", null, null)),
            new Example(
                    "member_history",
                    """
                    {"type":"member_history","ref":"65","userId":"u-5e27","actions":["sanction_applied","report_resolved"],"since":1767225600000,"limit":20}""",
                    new ClientMessage.MemberHistory(
                            "65",
                            "u-5e27",
                            List.of("sanction_applied", "report_resolved"),
                            1767225600000L,
                            null,
                            null,
                            20)),
            new Example("appeal", """
                    {"type":"appeal","ref":"66","sanctionId":"sn-4c81d7","text":"I was quoting the plan my own doctor gave me, not telling anyone else to skip insulin."}""", new ClientMessage.Appeal("66", SANCTION, APPEAL_TEXT)),
            new Example("list_appeals", """
                    {"type":"list_appeals","ref":"67"}""", new ClientMessage.ListAppeals("67", null, null)),
            new Example("decide_appeal", """
                    {"type":"decide_appeal","ref":"68","appealId":"ap-61e0b3","lift":true,"note":"Thank you for explaining; the timeout is lifted."}""", new ClientMessage.DecideAppeal("68", APPEAL, true, APPEAL_NOTE)),
            new Example("check_in", """
                    {"type":"check_in","ref":"69","alertId":"a-5f10c2"}""", new ClientMessage.CheckIn("69", ALERT)),
            new Example("answer_check_in", """
                    {"type":"answer_check_in","ref":"70","checkInId":"ci-2b8f4a","accept":true}""", new ClientMessage.AnswerCheckIn("70", CHECK_IN, true)),
            new Example("answer_check_in (decline)", """
                    {"type":"answer_check_in","ref":"71","checkInId":"ci-2b8f4a","accept":false}""", new ClientMessage.AnswerCheckIn("71", CHECK_IN, false)),
            new Example(
                    "create_group",
                    """
                    {"type":"create_group","ref":"40","title":"Long COVID evening circle","topic":"long-covid",\
                    "startsAt":"2026-12-03T18:00:00Z","durationMinutes":60,"capacity":12,"recurrence":"weekly",\
                    "timeZone":"Europe/Paris","registration":true,\
                    "rules":"Be kind. What is said here stays here. One voice at a time.","floorOnly":true}""",
                    new ClientMessage.CreateGroup(
                            "40",
                            "Long COVID evening circle",
                            "long-covid",
                            "2026-12-03T18:00:00Z",
                            60,
                            12,
                            "weekly",
                            "Europe/Paris",
                            true,
                            GROUP_RULES,
                            true,
                            null)),
            new Example(
                    "update_group",
                    """
                    {"type":"update_group","ref":"41","groupId":"g-5b7e21","durationMinutes":75,\
                    "facilitators":["u-91c0"]}""",
                    new ClientMessage.UpdateGroup(
                            "41", GROUP, null, null, null, 75, null, null, null, null, null, null, List.of("u-91c0"))),
            new Example(
                    "cancel_group (one meeting)",
                    """
                    {"type":"cancel_group","ref":"42","groupId":"g-5b7e21","occurrence":"2026-12-24T18:00:00Z",\
                    "reason":"No meeting on Christmas Eve."}""",
                    new ClientMessage.CancelGroup("42", GROUP, "2026-12-24T18:00:00Z", "No meeting on Christmas Eve.")),
            new Example("list_groups", """
                    {"type":"list_groups","ref":"43","topic":"long-covid"}""", new ClientMessage.ListGroups("43", "long-covid")),
            new Example("register_group", """
                    {"type":"register_group","ref":"44","groupId":"g-5b7e21"}""", new ClientMessage.RegisterGroup("44", GROUP)),
            new Example("unregister_group", """
                    {"type":"unregister_group","ref":"45","groupId":"g-5b7e21"}""", new ClientMessage.UnregisterGroup("45", GROUP)),
            new Example("open_group", """
                    {"type":"open_group","ref":"46","groupId":"g-5b7e21"}""", new ClientMessage.OpenGroup("46", GROUP)),
            new Example("close_group", """
                    {"type":"close_group","ref":"47","groupId":"g-5b7e21"}""", new ClientMessage.CloseGroup("47", GROUP)),
            new Example("set_group_chat", """
                    {"type":"set_group_chat","ref":"48","groupId":"g-5b7e21","slowModeSeconds":30}""", new ClientMessage.SetGroupChat("48", GROUP, null, 30, null)),
            new Example("mute", """
                    {"type":"mute","ref":"49","groupId":"g-5b7e21","userId":"u-5e27","muted":true}""", new ClientMessage.Mute("49", GROUP, "u-5e27", true)),
            new Example(
                    "remove_participant",
                    """
                    {"type":"remove_participant","ref":"50","groupId":"g-5b7e21","userId":"u-5e27","ban":false,\
                    "reason":"Please take a break and come back next week."}""",
                    new ClientMessage.RemoveParticipant(
                            "50", GROUP, "u-5e27", false, "Please take a break and come back next week.")),
            new Example("lift_group_ban", """
                    {"type":"lift_group_ban","ref":"60","groupId":"g-5b7e21","userId":"u-5e27"}""", new ClientMessage.LiftGroupBan("60", GROUP, "u-5e27")),
            new Example("listen_only", """
                    {"type":"listen_only","ref":"51","groupId":"g-5b7e21","on":true}""", new ClientMessage.ListenOnly("51", GROUP, true)),
            new Example("pin (a message)", """
                    {"type":"pin","ref":"52","groupId":"g-5b7e21","seq":3}""", new ClientMessage.Pin("52", GROUP, 3L)),
            new Example("pin (the rules)", """
                    {"type":"pin","ref":"53","groupId":"g-5b7e21"}""", new ClientMessage.Pin("53", GROUP, null)),
            new Example("unpin", """
                    {"type":"unpin","ref":"54","groupId":"g-5b7e21"}""", new ClientMessage.Unpin("54", GROUP)),
            new Example("raise_hand", """
                    {"type":"raise_hand","ref":"55","groupId":"g-5b7e21","raised":true}""", new ClientMessage.RaiseHand("55", GROUP, true)),
            new Example("give_floor (next in queue)", """
                    {"type":"give_floor","ref":"56","groupId":"g-5b7e21"}""", new ClientMessage.GiveFloor("56", GROUP, null)),
            new Example("give_floor (a participant)", """
                    {"type":"give_floor","ref":"57","groupId":"g-5b7e21","userId":"u-7f3a"}""", new ClientMessage.GiveFloor("57", GROUP, "u-7f3a")),
            new Example("take_floor", """
                    {"type":"take_floor","ref":"58","groupId":"g-5b7e21"}""", new ClientMessage.TakeFloor("58", GROUP)),
            new Example("attendance", """
                    {"type":"attendance","ref":"59","groupId":"g-5b7e21"}""", new ClientMessage.ReadAttendance("59", GROUP, null)),
            new Example(
                    "create_room",
                    """
                    {"type":"create_room","ref":"80","room":"night-owls","title":"Night owls",\
                    "description":"For those awake at 3am. Be kind.","tags":["sleep"],"presence":"count",\
                    "audience":{"roles":[],"claims":{"verified_adult":["true"]}}}""",
                    new ClientMessage.CreateRoom(
                            "80",
                            "night-owls",
                            "Night owls",
                            "For those awake at 3am. Be kind.",
                            List.of("sleep"),
                            null,
                            null,
                            "count",
                            ADULTS)),
            new Example(
                    "edit_room",
                    """
                    {"type":"edit_room","ref":"81","room":"night-owls","writers":["mentor","moderator"]}""",
                    new ClientMessage.EditRoom(
                            "81", "night-owls", null, null, null, List.of("mentor", "moderator"), null, null, null)),
            new Example("archive_room", """
                    {"type":"archive_room","ref":"82","room":"night-owls"}""", new ClientMessage.ArchiveRoom("82", "night-owls")),
            new Example("restore_room", """
                    {"type":"restore_room","ref":"83","room":"night-owls"}""", new ClientMessage.RestoreRoom("83", "night-owls")),
            new Example("list_managed_rooms", """
                    {"type":"list_managed_rooms","ref":"84"}""", new ClientMessage.ListManagedRooms("84")));

    static final List<Example> SERVER = List.of(
            new Example(
                    "welcome",
                    """
                    {"type":"welcome","ref":"1","protocolVersion":2,"user":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},\
                    "roles":["member","mentor"],"limits":{"maxTextLength":4000,"maxFrameBytes":65536,"ratePerSecond":10.0,\
                    "rateBurst":20,"historyPageMax":100,"joinHistory":50,"idleTimeoutMillis":60000},"sessionId":"s-4c8e1f"}""",
                    new ServerMessage.Welcome("1", 2, SAM, List.of("member", "mentor"), DEFAULT_LIMITS, "s-4c8e1f")),
            new Example(
                    "rooms",
                    """
                    {"type":"rooms","ref":"2","rooms":[{"id":"diabetes-t1","title":"Type 1 diabetes",\
                    "description":"Living with type 1. Be kind; no medical advice.","tags":["diabetes"],"online":12,\
                    "writable":true},{"id":"announcements","title":"Announcements","description":"News from the team.",\
                    "tags":[],"online":40,"writable":false}]}""",
                    new ServerMessage.RoomList(
                            "2",
                            List.of(
                                    new RoomInfo(
                                            "diabetes-t1",
                                            "Type 1 diabetes",
                                            "Living with type 1. Be kind; no medical advice.",
                                            List.of("diabetes"),
                                            12,
                                            true),
                                    new RoomInfo(
                                            "announcements",
                                            "Announcements",
                                            "News from the team.",
                                            List.of(),
                                            40,
                                            false)))),
            new Example(
                    "joined",
                    """
                    {"type":"joined","ref":"3","room":"diabetes-t1","epoch":"e-2b91","lastSeq":42,"recovered":true,\
                    "messages":[{"type":"message","room":"diabetes-t1","seq":42,"id":"m-1042",\
                    "author":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},"text":"Welcome, Robin!","ts":1767225600000,\
                    "clientMsgId":"c-9a1b-0007"}],"hasMore":false,"presence":[{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    {"id":"u-91c0","pseudonym":"Sam","role":"mentor"}],"online":2}""",
                    new ServerMessage.Joined(
                            "3", "diabetes-t1", "e-2b91", 42, true, List.of(MESSAGE_42), false, List.of(ROBIN, SAM))),
            new Example(
                    "joined (busy room)",
                    """
                    {"type":"joined","ref":"3","room":"long-covid","epoch":"e-7d10","lastSeq":0,"recovered":false,\
                    "messages":[],"hasMore":false,"presence":[{"id":"u-3d5b","pseudonym":"Alex","role":"mentor"},\
                    {"id":"u-5e27","pseudonym":"Casey","role":"member"}],"online":240,"presenceNext":"u-5e27"}""",
                    new ServerMessage.Joined(
                            "3",
                            "long-covid",
                            "e-7d10",
                            0,
                            false,
                            List.of(),
                            false,
                            List.of(ALEX, CASEY),
                            240,
                            "u-5e27")),
            new Example("left", """
                    {"type":"left","ref":"9","room":"diabetes-t1"}""", new ServerMessage.Left("9", "diabetes-t1")),
            new Example(
                    "ack",
                    """
                    {"type":"ack","ref":"4","room":"diabetes-t1","clientMsgId":"c-5d2e-0001","id":"m-1043","seq":43,\
                    "ts":1767225660000,"duplicate":false}""",
                    new ServerMessage.Ack("4", "diabetes-t1", "c-5d2e-0001", "m-1043", 43, 1767225660000L, false)),
            new Example(
                    "ack (duplicate)",
                    """
                    {"type":"ack","ref":"8","room":"diabetes-t1","clientMsgId":"c-5d2e-0001","id":"m-1043","seq":43,\
                    "ts":1767225660000,"duplicate":true}""",
                    new ServerMessage.Ack("8", "diabetes-t1", "c-5d2e-0001", "m-1043", 43, 1767225660000L, true)),
            new Example("message", """
                    {"type":"message","room":"diabetes-t1","seq":43,"id":"m-1043",\
                    "author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Anyone else up at 3am checking levels?","ts":1767225660000,"clientMsgId":"c-5d2e-0001"}""", MESSAGE_43),
            new Example("message (tombstone)", """
                    {"type":"message","room":"diabetes-t1","seq":44,"id":"m-1044",\
                    "author":{"id":"u-5e27","pseudonym":"Casey","role":"member"},"text":"","ts":1767225720000,\
                    "clientMsgId":"c-77f0-0003","deleted":true}""", MESSAGE_44.tombstone()),
            new Example("message (edited)", """
                    {"type":"message","room":"diabetes-t1","seq":43,"id":"m-1043",\
                    "author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Anyone else up at 3am checking their levels?","ts":1767225660000,\
                    "clientMsgId":"c-5d2e-0001","editedAt":1767225780000}""", MESSAGE_43.edited(EDITED_TEXT, 1767225780000L)),
            new Example(
                    "history",
                    """
                    {"type":"history","ref":"5","room":"diabetes-t1","messages":[{"type":"message","room":"diabetes-t1",\
                    "seq":41,"id":"m-1041","author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Thanks, that helps.","ts":1767225500000,"clientMsgId":"c-5d2e-0000"}],"hasMore":true}""",
                    new ServerMessage.History(
                            "5",
                            "diabetes-t1",
                            List.of(new ServerMessage.ChatMessage(
                                    "diabetes-t1",
                                    41,
                                    "m-1041",
                                    ROBIN,
                                    "Thanks, that helps.",
                                    1767225500000L,
                                    "c-5d2e-0000")),
                            true)),
            new Example("presence_joined", """
                    {"type":"presence_joined","room":"diabetes-t1","user":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "online":13}""", new ServerMessage.PresenceJoined("diabetes-t1", ROBIN, 13)),
            new Example("presence_left", """
                    {"type":"presence_left","room":"diabetes-t1","user":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "online":12}""", new ServerMessage.PresenceLeft("diabetes-t1", ROBIN, 12)),
            new Example(
                    "presence_diff",
                    """
                    {"type":"presence_diff","room":"long-covid","joins":[{"id":"u-7f3a","pseudonym":"Robin","role":"member"}],\
                    "leaves":[{"id":"u-5e27","pseudonym":"Casey","role":"member"},\
                    {"id":"u-b2e8","pseudonym":"Jo","role":"moderator"}],"online":239}""",
                    new ServerMessage.PresenceDiff("long-covid", List.of(ROBIN), List.of(CASEY, JO), 239)),
            new Example(
                    "presence", """
                    {"type":"presence","ref":"6","room":"long-covid","users":[{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    {"id":"u-91c0","pseudonym":"Sam","role":"mentor"}],"online":240,"next":"u-91c0"}""", new ServerMessage.Presence("6", "long-covid", List.of(ROBIN, SAM), 240, "u-91c0")),
            new Example("presence_count", """
                    {"type":"presence_count","room":"grief","online":7}""", new ServerMessage.PresenceCount("grief", 7)),
            new Example("typing", """
                    {"type":"typing","room":"diabetes-t1","user":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},\
                    "active":true}""", new ServerMessage.TypingEvent("diabetes-t1", SAM, true)),
            new Example(
                    "error", """
                    {"type":"error","ref":"4","code":"not_in_room","message":"join room 'diabetes-t1' first",\
                    "retryable":false}""", ServerMessage.Error.of("4", ErrorCode.NOT_IN_ROOM, "join room 'diabetes-t1' first")),
            new Example(
                    "error (rate_limited)",
                    """
                    {"type":"error","ref":"6","code":"rate_limited","message":"too many commands","retryable":true,\
                    "retryAfterMs":250}""",
                    new ServerMessage.Error("6", "rate_limited", "too many commands", true, 250L)),
            new Example(
                    "error (outcome_unknown)",
                    """
                    {"type":"error","ref":"9","code":"outcome_unknown","message":"the store did not answer in time: this \
                    message may have been stored; send it again with the same clientMsgId","retryable":true}""",
                    ServerMessage.Error.of(
                            "9",
                            ErrorCode.OUTCOME_UNKNOWN,
                            "the store did not answer in time: this message may have been stored; send it again with"
                                    + " the same clientMsgId")),
            new Example(
                    "error (no ref)", """
                    {"type":"error","code":"bad_json","message":"frame is not valid JSON","retryable":false}""", ServerMessage.Error.of(null, ErrorCode.BAD_JSON, "frame is not valid JSON")),
            new Example("pong", """
                    {"type":"pong","ref":"7"}""", new ServerMessage.Pong("7")),
            new Example("refreshed", """
                    {"type":"refreshed","ref":"r1","validUntil":1767234000000}""", new ServerMessage.Refreshed("r1", 1767234000000L)),
            new Example(
                    "availability",
                    """
                    {"type":"availability","ref":"10","available":true,"conditions":["diabetes"],"languages":["en","fr"],\
                    "capacity":3,"activeSessions":0}""",
                    new ServerMessage.Availability("10", true, List.of("diabetes"), List.of("en", "fr"), 3, 0)),
            new Example(
                    "support_queued",
                    """
                    {"type":"support_queued","ref":"12","requestId":"r-8c1d2e","condition":"diabetes","language":"en",\
                    "position":3,"estimatedWaitSeconds":240,"offered":false}""",
                    new ServerMessage.SupportQueued("12", REQUEST, "diabetes", "en", 3, 240, false)),
            new Example(
                    "support_queued (update)",
                    """
                    {"type":"support_queued","requestId":"r-8c1d2e","condition":"diabetes","language":"en","position":1,\
                    "estimatedWaitSeconds":80,"offered":true}""",
                    new ServerMessage.SupportQueued(null, REQUEST, "diabetes", "en", 1, 80, true)),
            new Example(
                    "support_unavailable",
                    """
                    {"type":"support_unavailable","requestId":"r-8c1d2e","message":"No mentor is free to talk about this \
                    right now. You keep your place in the queue; meanwhile these rooms are open, and if you need help now, \
                    please reach out to one of these.","position":1,"rooms":["diabetes-t1"],"resources":[\
                    {"name":"Emergency services","contact":"112 (Europe) / 911 (US, Canada) / 999 (UK)",\
                    "description":"If you or someone else is in immediate danger."},\
                    {"name":"988 Suicide & Crisis Lifeline (US)","contact":"call or text 988",\
                    "description":"Free, confidential support, 24/7."},\
                    {"name":"Samaritans (UK and Ireland)","contact":"116 123",\
                    "description":"Someone to talk to, any time, about anything."}]}""",
                    new ServerMessage.SupportUnavailable(
                            REQUEST,
                            "No mentor is free to talk about this right now. You "
                                    + "keep your place in the queue; meanwhile these rooms are open, and if you need help now, "
                                    + "please reach out to one of these.",
                            1,
                            List.of("diabetes-t1"),
                            EN_RESOURCES)),
            new Example("support_cancelled", """
                    {"type":"support_cancelled","ref":"13","requestId":"r-8c1d2e","reason":"cancelled"}""", new ServerMessage.SupportCancelled("13", REQUEST, "cancelled")),
            new Example(
                    "support_cancelled (expired)", """
                    {"type":"support_cancelled","requestId":"r-8c1d2e","reason":"expired"}""", new ServerMessage.SupportCancelled(null, REQUEST, "expired")),
            new Example(
                    "support_offer",
                    """
                    {"type":"support_offer","requestId":"r-8c1d2e","condition":"diabetes","language":"en",\
                    "member":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "note":"Newly diagnosed and a bit overwhelmed.","expiresAt":1767225630000}""",
                    new ServerMessage.SupportOffer(
                            REQUEST,
                            "diabetes",
                            "en",
                            ROBIN,
                            "Newly diagnosed and a bit overwhelmed.",
                            null,
                            1767225630000L)),
            new Example(
                    "support_offer (urgent)",
                    """
                    {"type":"support_offer","requestId":"r-8c1d2e","condition":"diabetes","language":"en",\
                    "member":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "note":"I can't go on like this.","expiresAt":1767225630000,"urgent":true}""",
                    new ServerMessage.SupportOffer(
                            REQUEST, "diabetes", "en", ROBIN, "I can't go on like this.", null, 1767225630000L, true)),
            new Example(
                    "support_offer (continuation)",
                    """
                    {"type":"support_offer","requestId":"r-b47f10","condition":"diabetes","language":"en",\
                    "member":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"sessionId":"s-9e21d4",\
                    "expiresAt":1767226530000}""",
                    new ServerMessage.SupportOffer(
                            CONTINUATION, "diabetes", "en", ROBIN, null, SESSION, 1767226530000L)),
            new Example("offer_withdrawn", """
                    {"type":"offer_withdrawn","requestId":"r-8c1d2e","reason":"expired"}""", new ServerMessage.OfferWithdrawn(REQUEST, "expired")),
            new Example(
                    "session_started",
                    """
                    {"type":"session_started","ref":"14","sessionId":"s-9e21d4","requestId":"r-8c1d2e",\
                    "member":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "mentor":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},"condition":"diabetes","language":"en",\
                    "continued":false}""",
                    new ServerMessage.SessionStarted("14", SESSION, REQUEST, ROBIN, SAM, "diabetes", "en", false)),
            new Example(
                    "session_started (continued)",
                    """
                    {"type":"session_started","sessionId":"s-9e21d4","requestId":"r-b47f10",\
                    "member":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "mentor":{"id":"u-3d5b","pseudonym":"Alex","role":"mentor"},"condition":"diabetes","language":"en",\
                    "continued":true}""",
                    new ServerMessage.SessionStarted(null, SESSION, CONTINUATION, ROBIN, ALEX, "diabetes", "en", true)),
            new Example(
                    "session_interrupted",
                    """
                    {"type":"session_interrupted","sessionId":"s-9e21d4","requestId":"r-b47f10",\
                    "message":"your mentor lost their connection; you are first in line for the next mentor, and your \
                    conversation stays"}""",
                    new ServerMessage.SessionInterrupted(
                            SESSION,
                            CONTINUATION,
                            "your mentor lost their connection; you "
                                    + "are first in line for the next mentor, and your conversation stays")),
            new Example(
                    "handoff_proposed",
                    """
                    {"type":"handoff_proposed","sessionId":"s-9e21d4",\
                    "from":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},\
                    "to":{"id":"u-3d5b","pseudonym":"Alex","role":"mentor"},\
                    "reason":"Alex has used an insulin pump for years."}""",
                    new ServerMessage.HandoffProposed(SESSION, SAM, ALEX, "Alex has used an insulin pump for years.")),
            new Example("session_ended", """
                    {"type":"session_ended","sessionId":"s-9e21d4",\
                    "endedBy":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"reason":"ended"}""", new ServerMessage.SessionEnded(SESSION, ROBIN, "ended")),
            new Example("session_ended (expired)", """
                    {"type":"session_ended","sessionId":"s-9e21d4","reason":"expired"}""", new ServerMessage.SessionEnded(SESSION, null, "expired")),
            new Example("session_ended (handed_off)", """
                    {"type":"session_ended","sessionId":"s-9e21d4","reason":"handed_off"}""", new ServerMessage.SessionEnded(SESSION, null, "handed_off")),
            new Example("done", """
                    {"type":"done","ref":"16","command":"end_session"}""", new ServerMessage.Done("16", "end_session")),
            new Example(
                    "done (handoff_accepted)",
                    """
                    {"type":"done","command":"handoff_accepted","sessionId":"%s"}""".formatted(SESSION),
                    new ServerMessage.Done(null, "handoff_accepted", SESSION)),
            new Example(
                    "crisis_support",
                    """
                    {"type":"crisis_support","room":"diabetes-t1","seq":46,"message":"It sounds like you are going \
                    through something very hard right now. You are not alone: the moderators have been told and will \
                    reach out. If you are in danger, please contact one of these now.","resources":[{"name":"Emergency services","contact":"112 (Europe) / 911 (US, Canada) / 999 (UK)",\
                    "description":"If you or someone else is in immediate danger."},\
                    {"name":"988 Suicide & Crisis Lifeline (US)","contact":"call or text 988",\
                    "description":"Free, confidential support, 24/7."},\
                    {"name":"Samaritans (UK and Ireland)","contact":"116 123",\
                    "description":"Someone to talk to, any time, about anything."}],"told":["moderators"]}""",
                    new ServerMessage.CrisisSupport(
                            "diabetes-t1", 46, CRISIS_WORDS, EN_RESOURCES, List.of("moderators"), null)),
            new Example(
                    "crisis_support (refused, nobody connected)",
                    """
                    {"type":"crisis_support","room":"diabetes-t1","seq":0,"message":"Please contact one of these \
                    lines now: nobody who can help is connected here at the moment. It sounds like you are going \
                    through something very hard. The moderators will see what you wrote as soon as one of them \
                    connects.","resources":[{"name":"Emergency services","contact":"112 (Europe) / 911 (US, Canada) / 999 (UK)",\
                    "description":"If you or someone else is in immediate danger."},\
                    {"name":"988 Suicide & Crisis Lifeline (US)","contact":"call or text 988",\
                    "description":"Free, confidential support, 24/7."},\
                    {"name":"Samaritans (UK and Ireland)","contact":"116 123",\
                    "description":"Someone to talk to, any time, about anything."}],"told":[],"source":"refused"}""",
                    new ServerMessage.CrisisSupport(
                            "diabetes-t1", 0, CRISIS_WORDS_NOBODY, EN_RESOURCES, List.of(), "refused")),
            new Example(
                    "alert",
                    """
                    {"type":"alert","alertId":"a-5f10c2","kind":"crisis","message":{"type":"message","room":"diabetes-t1",\
                    "seq":46,"id":"m-1046","author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Some nights I just want to end it all.","ts":1767229200000,"clientMsgId":"c-5d2e-0002"},\
                    "language":"en","rule":"end it all","createdAt":1767229200000}""",
                    new ServerMessage.Alert(ALERT, "crisis", MESSAGE_46, "en", "end it all", 1767229200000L)),
            new Example(
                    "alert (refused message, escalated)",
                    """
                    {"type":"alert","alertId":"a-5f10c2","kind":"crisis","message":{"type":"message","room":"diabetes-t1",\
                    "seq":0,"id":"m-1046","author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Some nights I just want to end it all.","ts":1767229200000,"clientMsgId":"c-5d2e-0002"},\
                    "language":"en","rule":"end it all","createdAt":1767229200000,"source":"refused","escalation":1,\
                    "authorLanguage":"en-GB"}""",
                    new ServerMessage.Alert(
                            ALERT,
                            "crisis",
                            new ServerMessage.ChatMessage(
                                    "diabetes-t1",
                                    0,
                                    "m-1046",
                                    ROBIN,
                                    "Some nights I just want to end it all.",
                                    1767229200000L,
                                    "c-5d2e-0002"),
                            "en",
                            "end it all",
                            1767229200000L,
                            "refused",
                            1,
                            "en-GB")),
            new Example(
                    "alerts",
                    """
                    {"type":"alerts","ref":"37","alerts":[{"type":"alert","alertId":"a-5f10c2","kind":"crisis",\
                    "message":{"type":"message","room":"diabetes-t1","seq":46,"id":"m-1046",\
                    "author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Some nights I just want to end it all.","ts":1767229200000,"clientMsgId":"c-5d2e-0002"},\
                    "language":"en","rule":"end it all","createdAt":1767229200000}]}""",
                    new ServerMessage.Alerts(
                            "37",
                            List.of(new ServerMessage.Alert(
                                    ALERT, "crisis", MESSAGE_46, "en", "end it all", 1767229200000L)))),
            new Example("alert_acked", """
                    {"type":"alert_acked","ref":"24","alertId":"a-5f10c2",\
                    "by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"ackedAt":1767229242000,\
                    "timeToAckMs":42000,"first":true}""", new ServerMessage.AlertAcked("24", ALERT, JO, 1767229242000L, 42000, true)),
            new Example(
                    "alert_acked (event)",
                    """
                    {"type":"alert_acked","alertId":"a-5f10c2","by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},\
                    "ackedAt":1767229242000,"timeToAckMs":42000,"first":true}""",
                    new ServerMessage.AlertAcked(null, ALERT, JO, 1767229242000L, 42000, true)),
            new Example(
                    "alert_acked (taken already)",
                    """
                    {"type":"alert_acked","ref":"31","alertId":"a-5f10c2",\
                    "by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"ackedAt":1767229242000,\
                    "timeToAckMs":42000,"first":false}""",
                    new ServerMessage.AlertAcked("31", ALERT, JO, 1767229242000L, 42000, false)),
            new Example("report_received", """
                    {"type":"report_received","ref":"22","reportId":"rp-3a71e0"}""", new ServerMessage.ReportReceived("22", REPORT)),
            new Example("report_filed", """
                    {"type":"report_filed","report":{"reportId":"rp-3a71e0","category":"misinformation",\
                    "comment":"Telling people to skip insulin is dangerous.","message":{"type":"message",\
                    "room":"diabetes-t1","seq":44,"id":"m-1044","author":{"id":"u-5e27","pseudonym":"Casey","role":"member"},\
                    "text":"You can skip insulin if you eat low carb, doctors just won't say it.","ts":1767225720000,\
                    "clientMsgId":"c-77f0-0003"},"context":[{"type":"message","room":"diabetes-t1","seq":43,"id":"m-1043",\
                    "author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"text":"Anyone else up at 3am checking levels?",\
                    "ts":1767225660000,"clientMsgId":"c-5d2e-0001"},{"type":"message","room":"diabetes-t1","seq":45,\
                    "id":"m-1045","author":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},\
                    "text":"Please don't change doses without your care team.","ts":1767225780000,\
                    "clientMsgId":"c-9a1b-0008"}],"reporter":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "createdAt":1767225900000,"status":"open","reportedUserId":"u-5e27","reporterLanguage":"en-GB"}}""", new ServerMessage.ReportFiled(OPEN_REPORT)),
            new Example("report_filed (block)", """
                    {"type":"report_filed","report":{"reportId":"rp-6b20f4","category":"other",\
                    "comment":"blocked: Keeps replying to everything I post.","context":[],\
                    "reporter":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"createdAt":1767230400000,\
                    "status":"open","reportedUserId":"u-5e27"}}""", new ServerMessage.ReportFiled(BLOCK_REPORT_INFO)),
            new Example("reports", """
                    {"type":"reports","ref":"25","reports":[{"reportId":"rp-3a71e0","category":"misinformation",\
                    "comment":"Telling people to skip insulin is dangerous.","message":{"type":"message",\
                    "room":"diabetes-t1","seq":44,"id":"m-1044","author":{"id":"u-5e27","pseudonym":"Casey","role":"member"},\
                    "text":"You can skip insulin if you eat low carb, doctors just won't say it.","ts":1767225720000,\
                    "clientMsgId":"c-77f0-0003"},"context":[{"type":"message","room":"diabetes-t1","seq":43,"id":"m-1043",\
                    "author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"text":"Anyone else up at 3am checking levels?",\
                    "ts":1767225660000,"clientMsgId":"c-5d2e-0001"},{"type":"message","room":"diabetes-t1","seq":45,\
                    "id":"m-1045","author":{"id":"u-91c0","pseudonym":"Sam","role":"mentor"},\
                    "text":"Please don't change doses without your care team.","ts":1767225780000,\
                    "clientMsgId":"c-9a1b-0008"}],"reporter":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "createdAt":1767225900000,"status":"open","reportedUserId":"u-5e27","reporterLanguage":"en-GB"}]}""", new ServerMessage.Reports("25", List.of(OPEN_REPORT))),
            new Example("reports (none open)", """
                    {"type":"reports","ref":"25","reports":[]}""", new ServerMessage.Reports("25", List.of())),
            new Example("report_resolved", """
                    {"type":"report_resolved","ref":"26","reportId":"rp-3a71e0",\
                    "by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},\
                    "resolution":"Talked with Casey privately; they posted a correction."}""", new ServerMessage.ReportResolved("26", REPORT, JO, RESOLUTION)),
            new Example("report_resolved (event)", """
                    {"type":"report_resolved","reportId":"rp-3a71e0","by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},\
                    "resolution":"Talked with Casey privately; they posted a correction."}""", new ServerMessage.ReportResolved(null, REPORT, JO, RESOLUTION)),
            new Example(
                    "audit_entries",
                    """
                    {"type":"audit_entries","ref":"27","entries":[\
                    {"at":1767229242000,"actor":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"action":"alert_acked",\
                    "target":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"room":"diabetes-t1","subject":"a-5f10c2"},\
                    {"at":1767229200000,"action":"alert_raised","target":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "room":"diabetes-t1","subject":"a-5f10c2","reason":"crisis: end it all"},\
                    {"at":1767226800000,"actor":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"action":"report_resolved",\
                    "target":{"id":"u-5e27","pseudonym":"Casey","role":"member"},"room":"diabetes-t1","subject":"rp-3a71e0",\
                    "reason":"Talked with Casey privately; they posted a correction."},\
                    {"at":1767225900000,"actor":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"action":"report_filed",\
                    "target":{"id":"u-5e27","pseudonym":"Casey","role":"member"},"room":"diabetes-t1","subject":"rp-3a71e0",\
                    "reason":"misinformation"}]}""",
                    new ServerMessage.AuditEntries(
                            "27",
                            List.of(
                                    new ServerMessage.AuditEntry(
                                            1767229242000L, JO, "alert_acked", ROBIN, "diabetes-t1", ALERT, null),
                                    new ServerMessage.AuditEntry(
                                            1767229200000L,
                                            null,
                                            "alert_raised",
                                            ROBIN,
                                            "diabetes-t1",
                                            ALERT,
                                            "crisis: end it all"),
                                    new ServerMessage.AuditEntry(
                                            1767226800000L,
                                            JO,
                                            "report_resolved",
                                            CASEY,
                                            "diabetes-t1",
                                            REPORT,
                                            RESOLUTION),
                                    new ServerMessage.AuditEntry(
                                            1767225900000L,
                                            ROBIN,
                                            "report_filed",
                                            CASEY,
                                            "diabetes-t1",
                                            REPORT,
                                            "misinformation")))),
            new Example("sanctioned", """
                    {"type":"sanctioned","ref":"28","sanction":{"sanctionId":"sn-4c81d7","userId":"u-5e27",\
                    "kind":"timeout","reason":"Repeated advice to skip insulin after a warning.",\
                    "by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"at":1767229800000,"until":1767316200000}}""", new ServerMessage.Sanctioned("28", TIMEOUT)),
            new Example("sanctioned (event)", """
                    {"type":"sanctioned","sanction":{"sanctionId":"sn-4c81d7","userId":"u-5e27","kind":"timeout",\
                    "reason":"Repeated advice to skip insulin after a warning.",\
                    "by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"at":1767229800000,"until":1767316200000}}""", new ServerMessage.Sanctioned(null, TIMEOUT)),
            new Example("sanctioned (room_ban, until lifted)", """
                    {"type":"sanctioned","ref":"29","sanction":{"sanctionId":"sn-7d02e9","userId":"u-5e27",\
                    "kind":"room_ban","room":"diabetes-t1","reason":"Repeated advice to skip insulin after a warning.",\
                    "by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"at":1767229800000}}""", new ServerMessage.Sanctioned("29", ROOM_BAN)),
            new Example("sanction_lifted", """
                    {"type":"sanction_lifted","ref":"30","sanctionId":"sn-4c81d7","kind":"timeout"}""", new ServerMessage.SanctionLifted("30", SANCTION, "timeout")),
            new Example("sanction_lifted (event)", """
                    {"type":"sanction_lifted","sanctionId":"sn-4c81d7","kind":"timeout"}""", new ServerMessage.SanctionLifted(null, SANCTION, "timeout")),
            new Example(
                    "message_deleted",
                    """
                    {"type":"message_deleted","room":"diabetes-t1","seq":44,"id":"m-1044",\
                    "reason":"Dangerous advice to skip insulin."}""",
                    new ServerMessage.MessageDeleted("diabetes-t1", 44, "m-1044", DELETE_REASON)),
            new Example(
                    "message_edited",
                    """
                    {"type":"message_edited","room":"diabetes-t1","seq":43,"id":"m-1043",\
                    "author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"Anyone else up at 3am checking their levels?","editedAt":1767225780000}""",
                    ServerMessage.MessageEdited.of(MESSAGE_43.edited(EDITED_TEXT, 1767225780000L))),
            new Example("done (edit_message)", """
                    {"type":"done","ref":"31","command":"edit_message"}""", new ServerMessage.Done("31", "edit_message")),
            new Example("done (block)", """
                    {"type":"done","ref":"33","command":"block"}""", new ServerMessage.Done("33", "block")),
            new Example("done (unblock)", """
                    {"type":"done","ref":"34","command":"unblock"}""", new ServerMessage.Done("34", "unblock")),
            new Example(
                    "held_message",
                    """
                    {"type":"held_message","heldId":"h-2c9e41","room":"medication",\
                    "author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "text":"My doctor put me on 500 mg of metformin twice a day, is that a lot?",\
                    "clientMsgId":"c-5d2e-0003","rule":"hold_doses","heldAt":1767232800000}""",
                    new ServerMessage.HeldMessage(
                            HELD, "medication", ROBIN, HELD_TEXT, "c-5d2e-0003", "hold_doses", 1767232800000L)),
            new Example(
                    "message_rejected", """
                    {"type":"message_rejected","room":"medication","clientMsgId":"c-5d2e-0003",\
                    "reason":"Dose questions belong with your care team; please ask them."}""", new ServerMessage.MessageRejected("medication", "c-5d2e-0003", HELD_NOTE)),
            new Example(
                    "message_rejected (no reason)",
                    """
                    {"type":"message_rejected","room":"medication","clientMsgId":"c-5d2e-0003"}""",
                    new ServerMessage.MessageRejected("medication", "c-5d2e-0003", null)),
            new Example("done (review_held)", """
                    {"type":"done","ref":"35","command":"review_held"}""", new ServerMessage.Done("35", "review_held")),
            new Example("held_messages", """
                    {"type":"held_messages","ref":"60","held":[{"type":"held_message","heldId":"h-2c9e41","room":"medication","author":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"text":"My doctor put me on 500 mg of metformin twice a day, is that a lot?","clientMsgId":"c-5d2e-0003","rule":"hold_doses","heldAt":1767232800000}],"nextCursor":"MTc2NzIzMjgwMDAwMDpoLTJjOWU0MQ"}""", new ServerMessage.HeldMessages("60", List.of(HELD_MESSAGE), HELD_CURSOR)),
            new Example("held_messages (last page)", """
                    {"type":"held_messages","ref":"61","held":[]}""", new ServerMessage.HeldMessages("61", List.of(), null)),
            new Example(
                    "mentor_notes",
                    """
                    {"type":"mentor_notes","ref":"62","notes":[{"sessionId":"s-9e21d4","mentorId":"u-91c0","writtenAt":1767236400000,"note":"Mentioned skipping insulin doses to lose weight; suggested their diabetes nurse."}]}""",
                    new ServerMessage.MentorNotes(
                            "62", List.of(new ServerMessage.NoteInfo(SESSION, "u-91c0", 1767236400000L, NOTE)), null)),
            new Example(
                    "session_ratings",
                    """
                    {"type":"session_ratings","ref":"63","ratings":[{"sessionId":"s-9e21d4","memberId":"u-7f3a","mentorIds":["u-91c0"],"endedAt":1767236400000,"rating":2,"comment":"Felt rushed."}]}""",
                    new ServerMessage.SessionRatings(
                            "63",
                            List.of(new ServerMessage.RatingInfo(
                                    SESSION, "u-7f3a", List.of("u-91c0"), 1767236400000L, 2, "Felt rushed.")),
                            null)),
            new Example("sanctions", """
                    {"type":"sanctions","ref":"64","sanctions":[{"sanctionId":"sn-4c81d7","userId":"u-5e27","kind":"timeout","reason":"Repeated advice to skip insulin after a warning.","by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"at":1767229800000,"until":1767316200000}]}""", new ServerMessage.Sanctions("64", List.of(TIMEOUT), null)),
            new Example(
                    "member_history",
                    """
                    {"type":"member_history","ref":"65","userId":"u-5e27","entries":[{"at":1767229800000,"actor":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"action":"sanction_applied","target":{"id":"u-5e27","pseudonym":"u-5e27","role":"member"},"subject":"sn-4c81d7","reason":"timeout: Repeated advice to skip insulin after a warning."}],"nextCursor":"NDE6"}""",
                    new ServerMessage.MemberHistoryPage(
                            "65",
                            "u-5e27",
                            List.of(new ServerMessage.AuditEntry(
                                    1767229800000L,
                                    JO,
                                    "sanction_applied",
                                    new UserInfo("u-5e27", "u-5e27", "member"),
                                    null,
                                    SANCTION,
                                    "timeout: " + SANCTION_REASON)),
                            "NDE6")),
            new Example("appeal_received", """
                    {"type":"appeal_received","ref":"66","appealId":"ap-61e0b3"}""", new ServerMessage.AppealReceived("66", APPEAL)),
            new Example("appeal_filed", """
                    {"type":"appeal_filed","appeal":{"appealId":"ap-61e0b3","sanction":{"sanctionId":"sn-4c81d7","userId":"u-5e27","kind":"timeout","reason":"Repeated advice to skip insulin after a warning.","by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"at":1767229800000,"until":1767316200000},"text":"I was quoting the plan my own doctor gave me, not telling anyone else to skip insulin.","createdAt":1767233400000,"status":"open"}}""", new ServerMessage.AppealFiled(OPEN_APPEAL)),
            new Example("appeals", """
                    {"type":"appeals","ref":"67","appeals":[{"appealId":"ap-61e0b3","sanction":{"sanctionId":"sn-4c81d7","userId":"u-5e27","kind":"timeout","reason":"Repeated advice to skip insulin after a warning.","by":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"at":1767229800000,"until":1767316200000},"text":"I was quoting the plan my own doctor gave me, not telling anyone else to skip insulin.","createdAt":1767233400000,"status":"open"}]}""", new ServerMessage.Appeals("67", List.of(OPEN_APPEAL), null)),
            new Example(
                    "appeal_decided",
                    """
                    {"type":"appeal_decided","ref":"68","appealId":"ap-61e0b3","sanctionId":"sn-4c81d7","outcome":"lifted","note":"Thank you for explaining; the timeout is lifted."}""",
                    new ServerMessage.AppealDecided("68", APPEAL, SANCTION, "lifted", APPEAL_NOTE)),
            new Example(
                    "appeal_decided (event, upheld)",
                    """
                    {"type":"appeal_decided","appealId":"ap-61e0b3","sanctionId":"sn-4c81d7","outcome":"upheld"}""",
                    new ServerMessage.AppealDecided(null, APPEAL, SANCTION, "upheld", null)),
            new Example("check_in_sent", """
                    {"type":"check_in_sent","ref":"69","checkInId":"ci-2b8f4a","alertId":"a-5f10c2","member":{"id":"u-7f3a","pseudonym":"Robin","role":"member"}}""", new ServerMessage.CheckInSent("69", CHECK_IN, ALERT, ROBIN)),
            new Example("check_in_offer", """
                    {"type":"check_in_offer","checkInId":"ci-2b8f4a","moderator":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"message":"Jo, one of the moderators here, read what you wrote and would like to talk with you privately, just the two of you. You can say yes or no; either is fine."}""", new ServerMessage.CheckInOffer(CHECK_IN, JO, CHECK_IN_WORDS)),
            new Example("check_in_declined", """
                    {"type":"check_in_declined","checkInId":"ci-2b8f4a","member":{"id":"u-7f3a","pseudonym":"Robin","role":"member"}}""", new ServerMessage.CheckInDeclined(CHECK_IN, ROBIN)),
            new Example(
                    "session_started (check-in)",
                    """
                    {"type":"session_started","ref":"70","sessionId":"s-4d2a90","requestId":"ci-2b8f4a","member":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"mentor":{"id":"u-b2e8","pseudonym":"Jo","role":"moderator"},"condition":"check_in","language":"en","continued":false}""",
                    new ServerMessage.SessionStarted("70", "s-4d2a90", CHECK_IN, ROBIN, JO, "check_in", "en", false)),
            new Example("done (answer_check_in)", """
                    {"type":"done","ref":"71","command":"answer_check_in"}""", new ServerMessage.Done("71", "answer_check_in")),
            new Example("report_outcome", """
                    {"type":"report_outcome","reportId":"rp-3a71e0","message":"Thank you for your report. A moderator has looked into it and done what they judged right. To protect everyone's privacy, we do not share the details."}""", new ServerMessage.ReportOutcome(REPORT, REPORT_OUTCOME_WORDS)),
            new Example("group", """
                    {"type":"group","ref":"40","group":{"groupId":"g-5b7e21","title":"Long COVID evening circle",\
                    "topic":"long-covid","facilitators":[{"id":"u-4a9c","pseudonym":"Dana","role":"facilitator"}],\
                    "startsAt":"2026-12-03T18:00:00Z","endsAt":"2026-12-03T19:00:00Z",\
                    "lobbyOpensAt":"2026-12-03T17:45:00Z","durationMinutes":60,"capacity":12,"recurrence":"weekly",\
                    "timeZone":"Europe/Paris","registration":true,"registered":5,"youAreRegistered":true,\
                    "phase":"scheduled","room":"g-5b7e21-20261203t1800z",\
                    "rules":"Be kind. What is said here stays here. One voice at a time.","floorOnly":true}}""", new ServerMessage.Group("40", GROUP_INFO)),
            new Example("groups", """
                    {"type":"groups","ref":"43","groups":[]}""", new ServerMessage.GroupList("43", List.of())),
            new Example(
                    "group_changed (one meeting cancelled)",
                    """
                    {"type":"group_changed","group":{"groupId":"g-5b7e21","title":"Long COVID evening circle",\
                    "topic":"long-covid","facilitators":[{"id":"u-4a9c","pseudonym":"Dana","role":"facilitator"}],\
                    "startsAt":"2026-12-03T18:00:00Z","endsAt":"2026-12-03T19:00:00Z",\
                    "lobbyOpensAt":"2026-12-03T17:45:00Z","durationMinutes":60,"capacity":12,"recurrence":"weekly",\
                    "timeZone":"Europe/Paris","registration":true,"registered":5,"youAreRegistered":true,\
                    "phase":"scheduled","room":"g-5b7e21-20261203t1800z",\
                    "rules":"Be kind. What is said here stays here. One voice at a time.","floorOnly":true},\
                    "change":"occurrence_cancelled","occurrence":"2026-12-24T18:00:00Z",\
                    "reason":"No meeting on Christmas Eve."}""",
                    new ServerMessage.GroupChanged(
                            GROUP_INFO,
                            "occurrence_cancelled",
                            "2026-12-24T18:00:00Z",
                            "No meeting on Christmas Eve.")),
            new Example("group_reminder", """
                    {"type":"group_reminder","group":{"groupId":"g-5b7e21","title":"Long COVID evening circle",\
                    "topic":"long-covid","facilitators":[{"id":"u-4a9c","pseudonym":"Dana","role":"facilitator"}],\
                    "startsAt":"2026-12-03T18:00:00Z","endsAt":"2026-12-03T19:00:00Z",\
                    "lobbyOpensAt":"2026-12-03T17:45:00Z","durationMinutes":60,"capacity":12,"recurrence":"weekly",\
                    "timeZone":"Europe/Paris","registration":true,"registered":5,"youAreRegistered":true,\
                    "phase":"scheduled","room":"g-5b7e21-20261203t1800z",\
                    "rules":"Be kind. What is said here stays here. One voice at a time.","floorOnly":true},\
                    "startsInSeconds":600}""", new ServerMessage.GroupReminder(GROUP_INFO, 600)),
            new Example(
                    "group_state",
                    """
                    {"type":"group_state","room":"g-5b7e21-20261203t1800z","groupId":"g-5b7e21","phase":"open",\
                    "startsAt":"2026-12-03T18:00:00Z","endsAt":"2026-12-03T19:00:00Z","locked":false,\
                    "slowModeSeconds":30,"floorOnly":true,\
                    "floor":{"user":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},"until":"2026-12-03T18:24:00Z"},\
                    "hands":[{"id":"u-5e27","pseudonym":"Casey","role":"member"}],"muted":[],"listenOnly":[],\
                    "facilitators":["u-4a9c"],"pinned":{"message":{"type":"message","room":"g-5b7e21-20261203t1800z","seq":3,\
                    "id":"m-2003","author":{"id":"u-4a9c","pseudonym":"Dana","role":"facilitator"},\
                    "text":"Tonight: pacing on bad days.","ts":1796320860000,"clientMsgId":"c-d4a1-0001"}},\
                    "participants":6}""",
                    new ServerMessage.GroupState(
                            GROUP_ROOM,
                            GROUP,
                            "open",
                            "2026-12-03T18:00:00Z",
                            "2026-12-03T19:00:00Z",
                            false,
                            30,
                            true,
                            new ServerMessage.Floor(ROBIN, "2026-12-03T18:24:00Z"),
                            List.of(CASEY),
                            List.of(),
                            List.of(),
                            List.of("u-4a9c"),
                            new ServerMessage.Pinned(null, GROUP_MESSAGE),
                            6)),
            new Example(
                    "group_state (lobby)",
                    """
                    {"type":"group_state","room":"g-5b7e21-20261203t1800z","groupId":"g-5b7e21","phase":"lobby",\
                    "startsAt":"2026-12-03T18:00:00Z","endsAt":"2026-12-03T19:00:00Z","locked":false,\
                    "slowModeSeconds":0,"floorOnly":true,"hands":[],"muted":[],"listenOnly":[],\
                    "facilitators":["u-4a9c"],\
                    "pinned":{"rules":"Be kind. What is said here stays here. One voice at a time."},\
                    "participants":2}""",
                    new ServerMessage.GroupState(
                            GROUP_ROOM,
                            GROUP,
                            "lobby",
                            "2026-12-03T18:00:00Z",
                            "2026-12-03T19:00:00Z",
                            false,
                            0,
                            true,
                            null,
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of("u-4a9c"),
                            new ServerMessage.Pinned(GROUP_RULES, null),
                            2)),
            new Example(
                    "removed_from_group",
                    """
                    {"type":"removed_from_group","groupId":"g-5b7e21","room":"g-5b7e21-20261203t1800z",\
                    "reason":"Please take a break and come back next week.","banned":false}""",
                    new ServerMessage.RemovedFromGroup(
                            GROUP, GROUP_ROOM, "Please take a break and come back next week.", false)),
            new Example(
                    "attendance (reply)",
                    """
                    {"type":"attendance","ref":"59","groupId":"g-5b7e21","room":"g-5b7e21-20261203t1800z",\
                    "startsAt":"2026-12-03T18:00:00Z","openedAt":"2026-12-03T18:01:00Z",\
                    "closedAt":"2026-12-03T19:02:00Z","attendees":[\
                    {"user":{"id":"u-7f3a","pseudonym":"Robin","role":"member"},\
                    "firstJoinedAt":"2026-12-03T17:52:00Z","lastLeftAt":"2026-12-03T19:02:00Z","presentSeconds":3660},\
                    {"user":{"id":"u-5e27","pseudonym":"Casey","role":"member"},\
                    "firstJoinedAt":"2026-12-03T18:10:00Z","lastLeftAt":"2026-12-03T18:40:00Z","presentSeconds":1800}]}""",
                    new ServerMessage.Attendance(
                            "59",
                            GROUP,
                            GROUP_ROOM,
                            "2026-12-03T18:00:00Z",
                            "2026-12-03T18:01:00Z",
                            "2026-12-03T19:02:00Z",
                            List.of(
                                    new ServerMessage.Attendee(
                                            ROBIN, "2026-12-03T17:52:00Z", "2026-12-03T19:02:00Z", 3660),
                                    new ServerMessage.Attendee(
                                            CASEY, "2026-12-03T18:10:00Z", "2026-12-03T18:40:00Z", 1800)))),
            new Example("done (mute)", """
                    {"type":"done","ref":"49","command":"mute"}""", new ServerMessage.Done("49", "mute")),
            new Example("managed_room", """
                    {"type":"managed_room","ref":"80","room":{"id":"night-owls","title":"Night owls",\
                    "description":"For those awake at 3am. Be kind.","tags":["sleep"],"writers":[],\
                    "rules":["new_member_contacts","no_links"],"presence":"count",\
                    "audience":{"roles":[],"claims":{"verified_adult":["true"]}},"archived":false,\
                    "createdBy":"u-b2e8","createdAt":1767225600000,"updatedAt":1767229200000}}""", new ServerMessage.RoomManaged("80", NIGHT_OWLS)),
            new Example("managed_rooms", """
                    {"type":"managed_rooms","ref":"84","rooms":[]}""", new ServerMessage.ManagedRoomList("84", List.of())));

    private Golden() {}
}
