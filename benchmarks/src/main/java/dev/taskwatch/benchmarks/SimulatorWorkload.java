package dev.taskwatch.benchmarks;

/** The comparison's workload on taskwatch's {@code CatalogSimulator}. */
final class SimulatorWorkload {

    private SimulatorWorkload() {}

    static Workload start() {
        // Wired in once testkit's CatalogSimulator is merged.
        throw new UnsupportedOperationException("CatalogSimulator is not on this branch yet");
    }
}
