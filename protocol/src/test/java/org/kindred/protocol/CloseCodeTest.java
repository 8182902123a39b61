package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CloseCodeTest {

    @Test
    void codesAreUnique() {
        assertThat(Arrays.stream(CloseCode.values())
                        .mapToInt(CloseCode::code)
                        .distinct()
                        .count())
                .isEqualTo(CloseCode.values().length);
    }

    @ParameterizedTest
    @EnumSource(CloseCode.class)
    void everyCodeIsInARangeItsReconnectFlagAgreesWith(CloseCode code) {
        int c = code.code();
        if (c >= CloseCode.RECONNECT_RANGE_START && c <= CloseCode.RECONNECT_RANGE_END) {
            assertThat(code.reconnect()).isTrue();
        } else if (c >= CloseCode.TERMINAL_RANGE_START && c <= CloseCode.TERMINAL_RANGE_END) {
            assertThat(code.reconnect()).isFalse();
        } else {
            assertThat(code).isEqualTo(CloseCode.MESSAGE_TOO_BIG);
            assertThat(code.reconnect()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4000, 4001, 4002, 4003, 4050, 4099})
    void reconnectRangeReconnects(int code) {
        assertThat(CloseCode.shouldReconnect(code)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {4100, 4101, 4102, 4103, 4104, 4150, 4199})
    void terminalRangeDoesNotReconnect(int code) {
        assertThat(CloseCode.shouldReconnect(code)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1006, 1009, 1011, 4200})
    void standardAndUnknownCodesReconnect(int code) {
        assertThat(CloseCode.shouldReconnect(code)).isTrue();
    }

    @Test
    void rangeConstantsAreTheDocumentedOnes() {
        assertThat(CloseCode.RECONNECT_RANGE_START).isEqualTo(4000);
        assertThat(CloseCode.RECONNECT_RANGE_END).isEqualTo(4099);
        assertThat(CloseCode.TERMINAL_RANGE_START).isEqualTo(4100);
        assertThat(CloseCode.TERMINAL_RANGE_END).isEqualTo(4199);
    }

    @Test
    void theNamedCodesHaveTheirDocumentedNumbers() {
        assertThat(CloseCode.SERVER_SHUTTING_DOWN.code()).isEqualTo(4000);
        assertThat(CloseCode.SERVER_OVERLOADED.code()).isEqualTo(4001);
        assertThat(CloseCode.SLOW_CONSUMER.code()).isEqualTo(4002);
        assertThat(CloseCode.IDLE_TIMEOUT.code()).isEqualTo(4003);
        assertThat(CloseCode.ROOM_RESET.code()).isEqualTo(4004);
        assertThat(CloseCode.AUTH_FAILED.code()).isEqualTo(4100);
        assertThat(CloseCode.TOKEN_EXPIRED.code()).isEqualTo(4101);
        assertThat(CloseCode.BANNED.code()).isEqualTo(4102);
        assertThat(CloseCode.PROTOCOL_VIOLATION.code()).isEqualTo(4103);
        assertThat(CloseCode.AUTH_TIMEOUT.code()).isEqualTo(4104);
        assertThat(CloseCode.MESSAGE_TOO_BIG.code()).isEqualTo(1009);
    }

    @ParameterizedTest
    @EnumSource(CloseCode.class)
    void ofFindsEveryCodeAndReasonsFitAControlFrame(CloseCode code) {
        assertThat(CloseCode.of(code.code())).contains(code);
        // a close frame's reason must fit in 123 bytes of UTF-8
        assertThat(code.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(123);
    }

    @Test
    void ofAnUnknownNumberIsEmpty() {
        assertThat(CloseCode.of(1006)).isEmpty();
        assertThat(CloseCode.of(4199)).isEmpty();
    }
}
