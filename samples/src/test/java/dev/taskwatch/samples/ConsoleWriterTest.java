package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class ConsoleWriterTest {

    @Test
    void writesEverythingInTheOrderHandedOverOnBothStreamsBeforeCloseReturns() {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        PrintStream shared = new PrintStream(both, true, StandardCharsets.UTF_8);

        try (ConsoleWriter console = new ConsoleWriter(shared, shared)) {
            for (int i = 0; i < 1000; i++) {
                if (i % 3 == 0) {
                    console.errLine("err " + i);
                } else {
                    console.outLine("out " + i);
                }
            }
            console.out("no line break");
        }

        List<String> lines = both.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1001);
        for (int i = 0; i < 1000; i++) {
            assertThat(lines.get(i)).isEqualTo((i % 3 == 0 ? "err " : "out ") + i);
        }
        assertThat(lines.get(1000)).isEqualTo("no line break");
    }

    @Test
    void onlyItsOwnThreadWritesWhateverThreadHandsTheTextOver() {
        Set<String> writers = ConcurrentHashMap.newKeySet();
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                writers.add(Thread.currentThread().getName());
            }
        };
        PrintStream stream = new PrintStream(recording, true, StandardCharsets.UTF_8);

        try (ConsoleWriter console = new ConsoleWriter(stream, stream)) {
            // From Reactor's non-blocking threads, as a retry diagnostic from the watch path would.
            Flux.range(0, 200)
                    .parallel()
                    .runOn(Schedulers.parallel())
                    .doOnNext(i -> console.errLine("diagnostic " + i))
                    .sequential()
                    .blockLast(Duration.ofSeconds(10));
            console.outLine("from main");
        }

        assertThat(writers).containsOnly("taskwatch-output");
    }

    @Test
    void textHandedOverAfterCloseIsDropped() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        ConsoleWriter console = new ConsoleWriter(stream, stream);
        console.outLine("before");
        console.close();

        console.outLine("after");
        console.close();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("before" + System.lineSeparator());
    }

    @Test
    void picocliWritersGoThroughTheSameQueue() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        try (ConsoleWriter console = new ConsoleWriter(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))) {
            new PrintWriter(console.writer(false), true).println("usage");
            new PrintWriter(console.writer(true), true).println("bad option");
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("usage" + System.lineSeparator());
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("bad option" + System.lineSeparator());
    }
}
