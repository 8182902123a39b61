package org.kindred.loadtest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "rooms",
        mixinStandardHelpOptions = true,
        description = "Many small rooms where every member publishes slowly: R rooms x K members, each member posts "
                + "one message every --interval (random phase). Rooms are PREFIX0000.. (--room-prefix, default lt-: "
                + "start the server with --config loadtest/rooms-1000.yaml), or the --room list.")
final class RoomsCommand extends ScenarioCommand {

    @Option(
            names = "--rooms",
            paramLabel = "R",
            defaultValue = "1000",
            description = "Rooms. Default: ${DEFAULT-VALUE}")
    int rooms;

    @Option(
            names = "--members-per-room",
            paramLabel = "K",
            defaultValue = "10",
            description = "Members per room, all publishing. Default: ${DEFAULT-VALUE}")
    int membersPerRoom;

    @Option(
            names = "--interval",
            paramLabel = "TIME",
            defaultValue = "10s",
            converter = CommonOptions.DurationConverter.class,
            description = "Time between two messages of one member. Default: ${DEFAULT-VALUE}")
    Duration interval;

    @Override
    String name() {
        return "rooms";
    }

    @Override
    int plannedConnections() {
        return rooms * membersPerRoom;
    }

    @Override
    void validate() {
        require(rooms >= 1, "--rooms: at least 1");
        require(membersPerRoom >= 1, "--members-per-room: at least 1");
        require(interval.toMillis() >= 1, "--interval: at least 1ms");
        if (common.roomPrefix == null && common.roomList.isEmpty()) {
            common.roomPrefix = "lt-";
        }
    }

    @Override
    Report execute(Run run) {
        List<String> roomIds = common.rooms(rooms);
        run.checkRooms(roomIds, true);
        for (String room : roomIds) {
            for (int m = 0; m < membersPerRoom; m++) {
                run.newPublisher(run.newMember(List.of(room)), room);
            }
        }
        run.sampleBaseline();
        run.startProgress();
        List<Member> connected = run.connectAll(run.members());
        double rate = 1e9 / interval.toNanos();
        run.publishers().forEach(p -> p.setRate(rate, true));
        run.runMeasured(null);
        run.pausePublishers();
        run.drain(run::staticExpected);
        Accounting.Result a = run.account();
        run.closeAll();
        run.stopProgress();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rooms", rooms);
        params.put("membersPerRoom", membersPerRoom);
        params.put("intervalS", interval.toMillis() / 1000.0);
        Report r = run.report(
                rooms + " rooms x " + membersPerRoom + " members, each posting every " + Report.fmtDuration(interval),
                params);
        run.addDeliveryFigures(r, a);
        run.addServerFigures(r, run.measuredDeliveries(), connected.size());
        judge(r, run, a);
        return r;
    }
}
