package org.kindred.server.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kindred.protocol.UserInfo;

class PresenceBatchTest {

    private static final UserInfo ANA = new UserInfo("u-ana", "Ana", "member");
    private static final UserInfo BEN = new UserInfo("u-ben", "Ben", "member");

    private static final java.util.Set<String> HERE = java.util.Set.of("c-1");

    private final PresenceBatch batch = new PresenceBatch();

    @Test
    void eachChangedUserAppearsOnceWithItsStateAtTheEnd() {
        batch.open();
        batch.record(ANA, true);
        batch.record(BEN, false);

        PresenceBatch.Diff diff = batch.drain(HERE::contains);

        assertThat(diff.joins()).containsExactly(ANA);
        assertThat(diff.leaves()).containsExactly(BEN);
    }

    @Test
    void aUserWhoCameAndWentIsLeftOutWhenNobodyTookASnapshot() {
        batch.open();
        batch.record(ANA, true);
        batch.record(ANA, false);
        batch.record(BEN, false);
        batch.record(BEN, true);

        assertThat(batch.drain(HERE::contains).isEmpty()).isTrue();
    }

    @Test
    void aUserWhoCameAndWentIsToldAsGoneWhenASnapshotWasTakenMeanwhile() {
        batch.open();
        batch.record(ANA, true);
        batch.snapshotTaken("c-1");
        batch.record(ANA, false);

        assertThat(batch.drain(HERE::contains).leaves()).containsExactly(ANA);
    }

    @Test
    void drainingClosesTheIntervalAndForgetsItsChanges() {
        batch.open();
        batch.record(ANA, true);
        batch.snapshotTaken("c-1");
        batch.drain(HERE::contains);

        assertThat(batch.isOpen()).isFalse();
        batch.open();
        batch.record(BEN, true);
        batch.record(BEN, false);
        assertThat(batch.drain(HERE::contains).isEmpty()).isTrue();
    }

    @Test
    void aSnapshotOfAConnectionThatLeftSinceDoesNotCount() {
        batch.open();
        batch.record(ANA, true);
        batch.snapshotTaken("c-gone");
        batch.record(ANA, false);

        assertThat(batch.drain(HERE::contains).isEmpty()).isTrue();
    }

    @Test
    void aSnapshotOutsideAnIntervalDoesNotCount() {
        batch.snapshotTaken("c-1");
        batch.open();
        batch.record(ANA, true);
        batch.record(ANA, false);

        assertThat(batch.drain(HERE::contains).isEmpty()).isTrue();
    }
}
