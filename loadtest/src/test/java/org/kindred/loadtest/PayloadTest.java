package org.kindred.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void formatsAndParsesBack() {
        String text = Payload.format(0x3f9a2c, 17, 42, 81234567890123L);
        assertThat(text).isEqualTo("lt 3f9a2c-17 42 81234567890123");
        Payload.Parsed p = new Payload.Parsed();
        assertThat(Payload.parse(text, p)).isTrue();
        assertThat(p.run).isEqualTo(0x3f9a2c);
        assertThat(p.publisher).isEqualTo(17);
        assertThat(p.publisherSeq).isEqualTo(42);
        assertThat(p.time).isEqualTo(81234567890123L);
    }

    @Test
    void nanoTimeMayBeNegative() {
        Payload.Parsed p = new Payload.Parsed();
        assertThat(Payload.parse(Payload.format(0x100000, 0, 1, -5_000_000_000L), p))
                .isTrue();
        assertThat(p.time).isEqualTo(-5_000_000_000L);
    }

    @Test
    void parsesFromACharRange() {
        char[] buf = "xxlt 100000-3 7 99yy".toCharArray();
        Payload.Parsed p = new Payload.Parsed();
        assertThat(Payload.parse(buf, 2, 16, p)).isTrue();
        assertThat(p.publisher).isEqualTo(3);
        assertThat(p.publisherSeq).isEqualTo(7);
        assertThat(p.time).isEqualTo(99);
    }

    @Test
    void refusesOtherTexts() {
        Payload.Parsed p = new Payload.Parsed();
        assertThat(Payload.parse("Anyone else up at 3am checking levels?", p)).isFalse();
        assertThat(Payload.parse("lt 3f9a2c-17 42", p)).isFalse();
        assertThat(Payload.parse("lt 3f9a2c-17 42 12 extra", p)).isFalse();
        assertThat(Payload.parse("lt zz-17 42 12", p)).isFalse();
        assertThat(Payload.parse("lt 3f9a2c-x 42 12", p)).isFalse();
    }
}
