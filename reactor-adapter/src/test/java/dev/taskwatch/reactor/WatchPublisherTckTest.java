package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.Test;
import reactor.core.publisher.Mono;

/**
 * The Reactive Streams TCK against {@link TaskWatcher#watch}: a hand-written publisher must earn what Reactor's own
 * operators get for free. Each publisher is a fresh watcher over an in-memory client whose task goes through
 * {@code elements} distinct statuses (pending, then unknown values, then completed), polled every millisecond.
 *
 * <p>Runs on the JUnit Platform through JUnit's TestNG engine (the TCK is TestNG-based).
 */
public class WatchPublisherTckTest extends PublisherVerification<Task> {

    private static final WatchOptions FAST = WatchOptions.defaults()
            .initialDelay(Duration.ofMillis(1))
            .maxDelay(Duration.ofMillis(1))
            .jitter(0);

    public WatchPublisherTckTest() {
        super(new TestEnvironment(2_000, 200));
    }

    @Override
    public Publisher<Task> createPublisher(long elements) {
        if (elements == 0) {
            return null; // a watch always emits the first task it sees: there is no empty watch
        }
        AtomicLong polls = new AtomicLong();
        // Poll n answers the n-th status, all distinct: pending, step-2, step-3, …, and completed last.
        CatalogTasksClient source = (zone, task, requestId) -> Mono.fromSupplier(() -> {
            long n = polls.incrementAndGet();
            String status = n >= elements ? "completed" : n == 1 ? "pending" : "step-" + n;
            return Tasks.response(status);
        });
        return TaskWatcher.create(source, FAST).watch(ZONE, TASK);
    }

    @Override
    public Publisher<Task> createFailedPublisher() {
        return TaskWatcher.create(new ScriptedClient(Tasks.apiError(401)), FAST).watch(ZONE, TASK);
    }

    /**
     * Rule 1.9 as the TCK checks it, on the smallest watch there is: the TCK's version asks for an empty publisher,
     * and a watch always emits the first task it sees. The subscriber requests nothing, so it must see exactly one
     * onSubscribe and no other signal.
     */
    @Override
    @Test
    public void required_spec109_mustIssueOnSubscribeForNonNullSubscriber() throws Throwable {
        CountDownLatch subscribed = new CountDownLatch(1);
        List<String> others = new CopyOnWriteArrayList<>();
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        createPublisher(1).subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                subscription.set(s);
                subscribed.countDown();
            }

            @Override
            public void onNext(Task task) {
                others.add("onNext");
            }

            @Override
            public void onError(Throwable t) {
                others.add("onError " + t);
            }

            @Override
            public void onComplete() {
                others.add("onComplete");
            }
        });
        assertThat(subscribed.await(2, TimeUnit.SECONDS)).as("onSubscribe").isTrue();
        // The in-memory client answers within subscribe(): the task has completed, yet without demand nothing comes.
        assertThat(others).isEmpty();
        subscription.get().cancel();
    }
}
