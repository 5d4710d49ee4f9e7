package dev.releaseconsole.app.e2e;

/**
 * The tests' own rollouts, each under the name a test gives it. Pods are scheduled on kwok's fake nodes and made
 * Ready by kwok, so images need not exist.
 */
final class Manifests {
    private Manifests() {
    }

    /** Two indefinite pauses: 25% then 75% of four pods. A promote is needed at steps 1 and 3. */
    static final String TWO_GATES = """
            - setWeight: 25
            - pause: {}
            - setWeight: 75
            - pause: {}
            """;

    /** A canary of four pods with the given steps (a YAML list, as in {@link #TWO_GATES}). */
    static String canary(String name, String steps) {
        return rollout(name, 4, "canary:\n  steps:\n" + steps.indent(4));
    }

    /** A blue-green of two pods with its active and preview services; promotion is manual. */
    static String blueGreen(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: NAME-active
                spec:
                  selector: {app: NAME}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: NAME-preview
                spec:
                  selector: {app: NAME}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                """.replace("NAME", name) + rollout(name, 2, """
                blueGreen:
                  activeService: NAME-active
                  previewService: NAME-preview
                  autoPromotionEnabled: false
                  scaleDownDelaySeconds: 2
                """.replace("NAME", name));
    }

    /** A Rollout of {@code replicas} pods labelled app=NAME whose spec.strategy is {@code strategy} (YAML). */
    private static String rollout(String name, int replicas, String strategy) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: NAME
                spec:
                  replicas: REPLICAS
                  selector:
                    matchLabels: {app: NAME}
                  template:
                    metadata:
                      labels: {app: NAME}
                    spec:
                      containers:
                      - name: app
                        image: registry.local/NAME:1
                  strategy:
                """.replace("NAME", name).replace("REPLICAS", String.valueOf(replicas)) + strategy.indent(4);
    }
}
