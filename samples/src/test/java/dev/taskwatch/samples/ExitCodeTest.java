package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The precedence of exit codes when several tasks end differently: 2 > 4 > 1 > 3 > 0. */
class ExitCodeTest {

    @Test
    void usageBeatsApiErrorBeatsFailureBeatsTimeoutBeatsSuccess() {
        int[] order = {ExitCode.USAGE, ExitCode.API_ERROR, ExitCode.FAILED, ExitCode.TIMED_OUT, ExitCode.COMPLETED};
        for (int i = 0; i < order.length; i++) {
            for (int j = i; j < order.length; j++) {
                assertThat(ExitCode.worst(order[i], order[j])).isEqualTo(order[i]);
                assertThat(ExitCode.worst(order[j], order[i])).isEqualTo(order[i]);
            }
        }
    }
}
