package dev.taskwatch.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample app: {@code GET /zones/{zone}/tasks/{task}/events} streams a task's transitions as Server-Sent Events,
 * {@code GET /zones/{zone}/tasks/{task}} answers with the task once it has ended, and {@code /actuator/taskwatch}
 * lists what the app is waiting on.
 *
 * <pre>{@code
 * java -jar samples/spring-app/target/taskwatch-spring-app.jar --taskwatch.simulator=true
 * curl -N http://localhost:8080/zones/demo/tasks/install-fast/events
 *
 * java -jar samples/spring-app/target/taskwatch-spring-app.jar --taskwatch.base-url=https://api.keycard.ai
 * }</pre>
 */
@SpringBootApplication
public class SpringSampleApplication {

    /** Starts the app; Spring Boot's command-line arguments ({@code --name=value}) set any property. */
    public static void main(String[] args) {
        SpringApplication.run(SpringSampleApplication.class, args);
    }
}
