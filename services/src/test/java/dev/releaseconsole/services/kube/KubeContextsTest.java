package dev.releaseconsole.services.kube;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading kubeconfig the way kubectl does: several files, first one wins, clear errors for broken files. */
class KubeContextsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path first() throws IOException {
        return write("first.yaml", """
                apiVersion: v1
                kind: Config
                current-context: prod-eu
                clusters:
                  - name: eu
                    cluster:
                      server: https://eu.k8s.example.com:6443
                  - name: shared-a
                    cluster:
                      server: https://a.k8s.example.com
                contexts:
                  - name: prod-eu
                    context:
                      cluster: eu
                      user: alice
                      namespace: payments
                  - name: shared
                    context:
                      cluster: shared-a
                      user: alice
                users:
                  - name: alice
                    user:
                      token: tok-alice-first
                """);
    }

    private Path second() throws IOException {
        return write("second.yaml", """
                apiVersion: v1
                kind: Config
                current-context: staging
                clusters:
                  - name: eu
                    cluster:
                      server: https://somewhere-else.example.com
                  - name: shared-b
                    cluster:
                      server: https://b.k8s.example.com
                  - name: stg
                    cluster:
                      server: https://stg.k8s.example.com
                contexts:
                  - name: shared
                    context:
                      cluster: shared-b
                      user: bob
                  - name: staging
                    context:
                      cluster: stg
                      user: alice
                  - name: eks-dev
                    context:
                      cluster: stg
                      user: eks
                users:
                  - name: alice
                    user:
                      token: tok-alice-second
                  - name: bob
                    user:
                      client-certificate-data: Zm9v
                      client-key-data: YmFy
                  - name: eks
                    user:
                      exec:
                        apiVersion: client.authentication.k8s.io/v1beta1
                        command: aws
                        args: [eks, get-token, --cluster-name, dev]
                """);
    }

    @Test
    void severalFilesAreMergedFirstFileWins() throws IOException {
        KubeContexts kc = KubeContexts.load(List.of(first(), second()));

        assertThat(kc.problems()).isEmpty();
        assertThat(kc.contextNames()).containsExactly("prod-eu", "shared", "staging", "eks-dev");
        assertThat(kc.currentContext()).contains("prod-eu");
        KubeContexts.KubeContext shared = kc.context("shared").orElseThrow();
        assertThat(shared.cluster()).isEqualTo("shared-a");
        assertThat(shared.server()).isEqualTo("https://a.k8s.example.com");
        assertThat(shared.file()).isEqualTo(dir.resolve("first.yaml"));
        KubeContexts.KubeContext prod = kc.context("prod-eu").orElseThrow();
        assertThat(prod.server()).isEqualTo("https://eu.k8s.example.com:6443");
        assertThat(prod.namespaceOrDefault()).isEqualTo("payments");
        assertThat(prod.auth()).isEqualTo("token");
        assertThat(kc.context("staging").orElseThrow().namespaceOrDefault()).isEqualTo("default");
        assertThat(kc.context("eks-dev").orElseThrow().auth()).isEqualTo("exec plugin aws");
    }

    @Test
    void clientConfigUsesFabric8sMergeWithTheSamePrecedence() throws Exception {
        KubeContexts kc = KubeContexts.load(List.of(first(), second()));

        Config prod = kc.clientConfig("prod-eu");
        assertThat(prod.getMasterUrl()).isEqualTo("https://eu.k8s.example.com:6443/");
        assertThat(prod.getNamespace()).isEqualTo("payments");
        assertThat(prod.getAutoOAuthToken()).isEqualTo("tok-alice-first");
        // a context from the second file, with a user that both files define: the first file's user wins
        Config staging = kc.clientConfig("staging");
        assertThat(staging.getMasterUrl()).isEqualTo("https://stg.k8s.example.com/");
        assertThat(staging.getAutoOAuthToken()).isEqualTo("tok-alice-first");
        assertThat(staging.getCurrentContext().getName()).isEqualTo("staging");
    }

    @Test
    void kubeconfigListFromTheEnvironmentIsHonoured() throws IOException {
        Path a = first();
        Path b = second();
        String missing = dir.resolve("not-there.yaml").toString();
        String before = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", a + File.pathSeparator + missing + File.pathSeparator + b);
        try {
            assertThat(KubeContexts.defaultFiles()).containsExactly(a, Path.of(missing), b);
            KubeContexts kc = KubeContexts.load();
            assertThat(kc.loadedFiles()).containsExactly(a, b);
            assertThat(kc.contextNames()).hasSize(4);
            assertThat(kc.problems()).isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }

    @Test
    void malformedYamlNamesTheFileAndLineWithoutQuotingSecrets() throws IOException {
        Path bad = write("broken.yaml", """
                apiVersion: v1
                kind: Config
                users:
                  - name: carol
                    user:
                      token: s3cr3t-t0ken-value
                     client-key-data: c2VjcmV0LWtleQ==
                contexts: []
                """);
        KubeContexts kc = KubeContexts.load(List.of(bad, first()));

        assertThat(kc.contextNames()).containsExactly("prod-eu", "shared");
        assertThat(kc.problems()).hasSize(1);
        String message = kc.problems().get(0).message();
        assertThat(kc.problems().get(0).file()).isEqualTo(bad);
        assertThat(message).startsWith("kubeconfig " + bad + " is not valid YAML at line 7, column");
        assertThat(message).contains("remove the file from KUBECONFIG");
        assertThat(message).doesNotContain("s3cr3t").doesNotContain("c2VjcmV0");
    }

    @Test
    void wrongShapeSaysWhichField() throws IOException {
        Path bad = write("shape.yaml", """
                apiVersion: v1
                kind: Config
                contexts: hello
                """);
        KubeContexts kc = KubeContexts.load(List.of(bad));

        assertThat(kc.contexts()).isEmpty();
        assertThat(kc.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("kubeconfig " + bad + ": 'contexts' has the wrong shape (expected a list). Compare it with "
                        + "`kubectl config view` output and fix the file, or remove it from KUBECONFIG."));
    }

    @Test
    void somethingThatIsNotAKubeconfig() throws IOException {
        Path deployment = write("deploy.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                """);
        Path list = write("list.yaml", "- one\n- two\n");
        KubeContexts kc = KubeContexts.load(List.of(deployment, list));

        assertThat(kc.problems()).extracting(KubeContexts.Problem::message).containsExactly(
                "kubeconfig " + deployment + " is a 'Deployment', not a kubeconfig (kind: Config). Remove it from "
                        + "KUBECONFIG or point KUBECONFIG at your kubeconfig.",
                "kubeconfig " + list + " is not a kubeconfig: expected a mapping with apiVersion: v1, kind: Config, "
                        + "clusters, contexts and users. Point KUBECONFIG at your kubeconfig.");
    }

    @Test
    void contextWithAMissingClusterIsListedButCannotConnect() throws IOException {
        Path p = write("dangling.yaml", """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: real
                    cluster:
                      server: https://real.example.com
                  - name: serverless
                    cluster: {}
                contexts:
                  - name: ghost
                    context:
                      cluster: gone
                  - name: no-server
                    context:
                      cluster: serverless
                  - name: no-user
                    context:
                      cluster: real
                      user: nobody
                """);
        KubeContexts kc = KubeContexts.load(List.of(p));

        assertThat(kc.contextNames()).containsExactly("ghost", "no-server", "no-user");
        assertThat(kc.context("ghost").orElseThrow().problem()).isEqualTo("Context 'ghost' in " + p
                + " refers to cluster 'gone', which no kubeconfig file defines (read: " + p + "). Add the cluster or "
                + "include the file that defines it in KUBECONFIG.");
        assertThat(kc.context("no-server").orElseThrow().problem()).startsWith("Cluster 'serverless' (context "
                + "'no-server') has no server address.");
        assertThat(kc.context("no-user").orElseThrow().problem()).contains("refers to user 'nobody'");
        assertThatThrownBy(() -> kc.clientConfig("ghost")).isInstanceOf(KubeconfigException.class)
                .hasMessageContaining("refers to cluster 'gone'");
    }

    @Test
    void unknownContextListsTheKnownOnes() throws IOException {
        KubeContexts kc = KubeContexts.load(List.of(first()));

        assertThatThrownBy(() -> kc.clientConfig("prod-us")).isInstanceOf(KubeconfigException.class)
                .hasMessage("Context 'prod-us' is not in kubeconfig (read: " + dir.resolve("first.yaml")
                        + "). Known contexts: prod-eu, shared. Check the name, or add the file that defines it to "
                        + "KUBECONFIG.");
    }

    @Test
    void noKubeconfigAtAllSaysWhereItLooked() {
        Path missing = dir.resolve("config");
        KubeContexts kc = KubeContexts.load(List.of(missing));

        assertThat(kc.contexts()).isEmpty();
        assertThat(kc.describeProblems()).isEqualTo("No kubeconfig file found (looked at " + missing
                + "). Set KUBECONFIG or create ~/.kube/config, e.g. with your cloud provider's \"get-credentials\" "
                + "command, then reconnect.");
    }

    @Test
    void emptyFileIsAnEmptyConfigAsForKubectl() throws IOException {
        KubeContexts kc = KubeContexts.load(List.of(write("empty.yaml", "\n"), first()));

        assertThat(kc.problems()).isEmpty();
        assertThat(kc.contextNames()).containsExactly("prod-eu", "shared");
    }
}
