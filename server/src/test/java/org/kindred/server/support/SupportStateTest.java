package org.kindred.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The support state as a cluster stores it between two commands. */
class SupportStateTest {

    /** Regression: the state copied its recent matches with Map.copyOf, so after a reload "eldest" meant any. */
    @Test
    void recentMatchesStayEldestFirstThroughAReload() throws Exception {
        Map<String, String> matched = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            matched.put("r-" + i, "u-mentor-" + i);
        }
        SupportState state = new SupportState(List.of(), List.of(), List.of(), matched, 120, Map.of());
        ObjectMapper json = new ObjectMapper();

        SupportState reloaded = json.readValue(json.writeValueAsString(state), SupportState.class);

        assertThat(state.matched().keySet()).containsExactlyElementsOf(matched.keySet());
        assertThat(reloaded.matched().keySet()).containsExactlyElementsOf(matched.keySet());
    }
}
