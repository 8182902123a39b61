package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void aCursorComesBackAsItWasSent() {
        Cursor cursor = new Cursor(1767232800000L, "h-2c9e41");
        assertThat(cursor.encode()).isEqualTo("MTc2NzIzMjgwMDAwMDpoLTJjOWU0MQ");
        assertThat(Cursor.decode(cursor.encode())).contains(cursor);
    }

    @Test
    void aSequenceCursorHasAnEmptyId() {
        assertThat(Cursor.decode(new Cursor(41, "").encode())).contains(new Cursor(41, ""));
    }

    @Test
    void anythingTheServerDidNotGiveIsNotACursor() {
        assertThat(Cursor.decode("not-a-cursor")).isEmpty();
        assertThat(Cursor.decode("NDE")).as("no separator").isEmpty();
        assertThat(Cursor.decode("eDp5")).as("x:y, no number").isEmpty();
        assertThat(Cursor.decode("***")).isEmpty();
    }
}
