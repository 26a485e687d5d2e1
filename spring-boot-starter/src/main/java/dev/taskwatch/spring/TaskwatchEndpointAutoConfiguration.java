package dev.taskwatch.spring;

import dev.taskwatch.reactor.TaskWatcher;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@link TaskwatchEndpoint} ({@code /actuator/taskwatch}) when Actuator is on the class path, the
 * endpoint is available (enabled and exposed), and there is one {@link TaskWatcher}. Its own class, after
 * {@link TaskwatchAutoConfiguration}, so that without Actuator none of Actuator's types is ever loaded.
 */
@AutoConfiguration(after = TaskwatchAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
public final class TaskwatchEndpointAutoConfiguration {

    // On the method, not the class: the class's @ConditionalOnClass must rule first, or the endpoint condition's own
    // class, from Actuator, would be loaded to evaluate it.
    @Bean
    @ConditionalOnAvailableEndpoint
    @ConditionalOnMissingBean
    @ConditionalOnBean(TaskWatcher.class)
    TaskwatchEndpoint taskwatchEndpoint(TaskWatcher watcher) {
        return new TaskwatchEndpoint(watcher);
    }
}
