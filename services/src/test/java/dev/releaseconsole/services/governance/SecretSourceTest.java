package dev.releaseconsole.services.governance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSourceTest {
    @TempDir
    Path dir;

    @Test
    void anEnvironmentVariableIsReadAndAMissingOneSaysSo() throws Exception {
        SecretSource set = SecretSource.env("UNLEASH_TOKEN", n -> n.equals("UNLEASH_TOKEN") ? " s3cr3t\n" : null);
        assertThat(set.resolve()).isEqualTo("s3cr3t");
        assertThat(set.describe()).isEqualTo("environment variable UNLEASH_TOKEN").doesNotContain("s3cr3t");

        assertThatThrownBy(() -> SecretSource.env("NOPE", n -> null).resolve()).isInstanceOf(SecretException.class)
                .hasMessage("environment variable NOPE is not set: export it with the token before starting the "
                        + "console");
        assertThatThrownBy(() -> SecretSource.env("EMPTY", n -> "  ").resolve()).hasMessageContaining("is empty");
    }

    @Test
    void aFileIsReadWithoutItsTrailingNewlineAndMissingOrEmptyFilesSaySo() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "*:*.abc\n");
        assertThat(SecretSource.parse("file:" + file).resolve()).isEqualTo("*:*.abc");

        Files.writeString(file, "\n");
        assertThatThrownBy(() -> SecretSource.file(file).resolve()).hasMessageContaining("is empty");
        assertThatThrownBy(() -> SecretSource.file(dir.resolve("missing")).resolve())
                .hasMessageContaining("does not exist");
    }

    @Test
    void theKeychainSaysWhatToInstallWhenSecretToolIsMissing() {
        SecretSource keychain = SecretSource.keychain(Map.of("service", "release-console"),
                dir.resolve("no-secret-tool").toString());
        assertThat(keychain.describe()).isEqualTo("keychain (secret-tool lookup service release-console)");
        assertThatThrownBy(keychain::resolve).isInstanceOf(SecretException.class)
                .hasMessageContaining("apt-get install libsecret-tools");
    }

    @Test
    void specsAreParsedAndBadOnesExplained() {
        assertThat(SecretSource.parse("env:UNLEASH_TOKEN").describe()).isEqualTo("environment variable UNLEASH_TOKEN");
        assertThat(SecretSource.parse("file:~/t").describe()).isEqualTo("file " + Path.of(
                System.getProperty("user.home"), "t"));
        assertThat(SecretSource.parse("keychain:service=release-console,account=unleash").describe())
                .isEqualTo("keychain (secret-tool lookup service release-console account unleash)");
        assertThatThrownBy(() -> SecretSource.parse("vault:x")).hasMessageContaining("use env:NAME, file:PATH");
        assertThatThrownBy(() -> SecretSource.parse("keychain:service")).hasMessageContaining("attribute=value");
    }
}
