package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogAuthenticationExceptionTest {

    @Test
    void carriesTheTokenEndpointsAnswerIsNeverTransientAndSaysWhereItFailed() {
        CatalogApiException answer = new CatalogApiException(
                "POST /service-account-token", 404, "not_found", "no such route", List.of(), "r-1", null);

        CatalogAuthenticationException e = new CatalogAuthenticationException(answer);

        assertThat(e.refusal()).isSameAs(answer);
        assertThat(e).hasCause(answer);
        assertThat(e.isTransient()).isFalse();
        assertThat(e)
                .hasMessage("authentication failed at the token endpoint: POST /service-account-token → 404"
                        + " not_found: no such route (request r-1)");
    }
}
