package org.kindred.loadtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "fanout",
        mixinStandardHelpOptions = true,
        description = "R rooms of M members each; the first P members of every room publish at X messages/s each. "
                + "Every message reaches all M members of its room (the sender included).")
final class FanoutCommand extends ScenarioCommand {

    @Option(names = "--rooms", paramLabel = "R", defaultValue = "1", description = "Rooms. Default: ${DEFAULT-VALUE}")
    int rooms;

    @Option(
            names = "--members",
            paramLabel = "M",
            defaultValue = "100",
            description = "Members per room (one connection each). Default: ${DEFAULT-VALUE}")
    int members;

    @Option(
            names = "--publishers",
            paramLabel = "P",
            defaultValue = "1",
            description = "Publishers per room, among its members. Default: ${DEFAULT-VALUE}")
    int publishers;

    @Option(
            names = "--rate",
            paramLabel = "X",
            defaultValue = "10",
            converter = CommonOptions.RateConverter.class,
            description = "Messages per second per publisher. Default: ${DEFAULT-VALUE}")
    double rate;

    @Override
    String name() {
        return "fanout";
    }

    @Override
    int plannedConnections() {
        return rooms * members;
    }

    @Override
    void validate() {
        require(rooms >= 1, "--rooms: at least 1");
        require(members >= 1, "--members: at least 1");
        require(publishers >= 1 && publishers <= members, "--publishers: 1 to --members (" + members + ")");
        require(rate > 0 && rate <= 100_000, "--rate: above 0, at most 100000 per publisher");
        require((long) rooms * members <= Integer.MAX_VALUE, "too many connections");
    }

    @Override
    Report execute(Run run) {
        List<String> roomIds = common.rooms(rooms);
        run.checkRooms(roomIds, true);
        for (String room : roomIds) {
            for (int m = 0; m < members; m++) {
                Member member = run.newMember(List.of(room));
                if (m < publishers) {
                    run.newPublisher(member, room);
                }
            }
        }
        run.sampleBaseline();
        run.startProgress();
        List<Member> connected = run.connectAll(run.members());
        run.publishers().forEach(p -> p.setRate(rate, true));
        run.runMeasured(null);
        run.pausePublishers();
        run.drain(run::staticExpected);
        Accounting.Result a = run.account();
        run.closeAll();
        run.stopProgress();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rooms", rooms);
        params.put("members", members);
        params.put("publishers", publishers);
        params.put("rate", rate);
        Report r = run.report(
                rooms + " room(s) x " + members + " members, " + publishers + " publisher(s) per room at " + rate
                        + " msg/s each",
                params);
        run.addDeliveryFigures(r, a);
        run.addServerFigures(r, run.measuredDeliveries(), connected.size());
        judge(r, run, a);
        return r;
    }
}
