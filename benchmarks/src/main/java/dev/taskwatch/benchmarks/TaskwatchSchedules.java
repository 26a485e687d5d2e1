package dev.taskwatch.benchmarks;

import java.util.List;

/** taskwatch's schedules in virtual time; wired in once TaskWatcher is merged. */
final class TaskwatchSchedules {

    private TaskwatchSchedules() {}

    static List<RequestEfficiency.Outcome> outcomes(long[] durations) {
        return List.of();
    }
}
