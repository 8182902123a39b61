package org.kindred.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "idle",
        mixinStandardHelpOptions = true,
        description = "N connections that sign in, join a room (spread round-robin over the rooms) and then stay "
                + "quiet for --duration. Reports connect and join time percentiles and, with --pid, the server's RSS "
                + "per connection and its CPU while idle. Use --source-ips to spread over source addresses. A join "
                + "storm: a high --connect-rate; connectPhaseS is the wall time until the last member has joined.")
final class IdleCommand extends ScenarioCommand {

    @Option(
            names = "--connections",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Connections. Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(
            names = "--rooms",
            paramLabel = "R",
            description = "Rooms to spread over (default: all of --room, or 6 with --room-prefix)")
    Integer rooms;

    @Option(
            names = "--rss-at",
            paramLabel = "T",
            split = ",",
            converter = CommonOptions.DurationConverter.class,
            description = "With --pid: also sample the servers' RSS this long after the last member joined "
                    + "(comma-separated, e.g. 5s,60s; each within --duration); reported as rssAt, KB per connection "
                    + "beyond the RSS before connecting")
    List<Duration> rssAt = new ArrayList<>();

    @Override
    String name() {
        return "idle";
    }

    @Override
    int plannedConnections() {
        return connections;
    }

    @Override
    void validate() {
        require(connections >= 1, "--connections: at least 1");
        require(rooms == null || rooms >= 1, "--rooms: at least 1");
        for (Duration at : rssAt) {
            require(
                    !at.isNegative() && at.compareTo(common.duration) < 0,
                    "--rss-at " + at.toMillis() + " ms: from 0 to below --duration");
        }
        require(rssAt.isEmpty() || !common.pids.isEmpty(), "--rss-at: needs --pid");
    }

    @Override
    Report execute(Run run) {
        int roomCount = rooms != null
                ? rooms
                : common.roomPrefix != null
                        ? 6
                        : (common.roomList.isEmpty() ? CommonOptions.DEFAULT_ROOMS.size() : common.roomList.size());
        List<String> roomIds = common.rooms(roomCount);
        run.checkRooms(roomIds, false);
        for (int i = 0; i < connections; i++) {
            run.newMember(List.of(roomIds.get(i % roomIds.size())));
        }
        run.sampleBaseline();
        run.startProgress();
        long t0 = System.nanoTime();
        List<Member> connected = run.connectAll(run.members());
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        RssSchedule rss = new RssSchedule(run, rssAt, System.nanoTime());
        rss.due(); // an offset of 0 is sampled at once
        run.runMeasured(rss::due);
        long stillOpen = run.stats().open.sum();
        run.closeAll();
        run.stopProgress();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("connections", connections);
        params.put("rooms", roomIds.size());
        Report r = run.report(connections + " idle connections over " + roomIds.size() + " room(s)", params);
        r.put("connectPhaseS", Report.round(connectSeconds, 3));
        r.put("connectedAndJoined", connected.size());
        r.put("openAtEnd", stillOpen);
        run.addServerFigures(r, 0, connected.size());
        rss.report(r, connected.size());
        r.note("connecting " + connected.size() + " took " + Report.round(connectSeconds, 2) + " s; " + stillOpen
                + " still open at the end of the idle period");
        judge(r, run, null);
        if (stillOpen < connected.size()) {
            r.fail((connected.size() - stillOpen) + " idle connection(s) were dropped");
        }
        return r;
    }
}
