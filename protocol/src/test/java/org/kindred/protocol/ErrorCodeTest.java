package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCodeTest {

    @Test
    void wireStringsAreUnique() {
        Set<String> wires =
                Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet());
        assertThat(wires).hasSize(ErrorCode.values().length);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void wireStringIsSnakeCaseAndMatchesTheConstantName(ErrorCode code) {
        assertThat(code.wire()).matches("[a-z]+(_[a-z]+)*");
        assertThat(code.wire()).isEqualTo(code.name().toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void fromWireRoundTrips(ErrorCode code) {
        assertThat(ErrorCode.fromWire(code.wire())).contains(code);
    }

    @Test
    void fromWireOfAnUnknownStringIsEmpty() {
        assertThat(ErrorCode.fromWire("no_such_code")).isEmpty();
        assertThat(ErrorCode.fromWire("BAD_JSON")).isEmpty();
        assertThat(ErrorCode.fromWire(null)).isEmpty();
    }

    @Test
    void onlyTransientConditionsAreRetryable() {
        Set<ErrorCode> retryable = Arrays.stream(ErrorCode.values())
                .filter(ErrorCode::retryable)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ErrorCode.class)));
        assertThat(retryable)
                .containsExactlyInAnyOrder(
                        ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE, ErrorCode.OUTCOME_UNKNOWN, ErrorCode.INTERNAL);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void errorOfCopiesWireCodeAndRetryable(ErrorCode code) {
        ServerMessage.Error error = ServerMessage.Error.of("r", code, "m");
        assertThat(error.code()).isEqualTo(code.wire());
        assertThat(error.retryable()).isEqualTo(code.retryable());
        assertThat(error.retryAfterMs()).isNull();
        assertThat(error.errorCode()).contains(code);
    }
}
