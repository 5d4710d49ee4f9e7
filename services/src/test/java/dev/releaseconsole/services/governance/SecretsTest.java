package dev.releaseconsole.services.governance;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Authorization: Bearer eyJhbGciOi.payload.sig|eyJhbGciOi",
            "authorization=*:*.s3cr3tvalue|s3cr3tvalue",
            "{\"token\":\"abc123\"}|abc123",
            "password=hunter2&user=x|hunter2",
            "https://admin:pa55word@unleash.local/api|pa55word",
            "api_key: LD-xyz-987|LD-xyz-987",
    })
    void credentialsAreMasked(String text, String secret) {
        String redacted = Secrets.redact(text);
        assertThat(redacted).doesNotContain(secret).contains("***");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PATCH rollouts/status {\"status\":{\"abort\":true}}",
            "state before: Paused, step 3/8, weight 25%",
    })
    void ordinaryTextIsLeftAlone(String text) {
        assertThat(Secrets.redact(text)).isEqualTo(text);
    }
}
