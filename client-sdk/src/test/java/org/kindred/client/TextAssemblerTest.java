package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextAssemblerTest {

    private final TextAssembler assembler = new TextAssembler(10);

    @Test
    void returnsAMessageDeliveredInOnePart() {
        assertThat(assembler.append("{}", true)).isEqualTo("{}");
    }

    @Test
    void joinsPartsUntilTheLastOne() {
        assertThat(assembler.append("{\"a\"", false)).isNull();
        assertThat(assembler.append(":", false)).isNull();
        assertThat(assembler.append("1}", true)).isEqualTo("{\"a\":1}");
        assertThat(assembler.append("{}", true)).isEqualTo("{}");
    }

    @Test
    void rejectsAMessageLongerThanTheLimitAndStartsAfresh() {
        assembler.append("123456", false);

        assertThatThrownBy(() -> assembler.append("789012", true)).isInstanceOf(IllegalStateException.class);
        assertThat(assembler.append("ok", true)).isEqualTo("ok");
    }
}
