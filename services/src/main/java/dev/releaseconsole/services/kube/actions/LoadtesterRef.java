package dev.releaseconsole.services.kube.actions;

import java.util.Objects;

/**
 * Where the flagger-loadtester runs, reached from the workstation through the API server's service proxy
 * ({@code /api/v1/namespaces/NS/services/SERVICE:PORT/proxy/...}, which needs {@code create services/proxy} in
 * {@code namespace}). {@code port} is the service port's number or name, e.g. "80" or "http".
 */
public record LoadtesterRef(String namespace, String service, String port) {
    public LoadtesterRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(port, "port");
    }

    /** The chart's defaults: service flagger-loadtester, port 80. */
    public static LoadtesterRef defaultIn(String namespace) {
        return new LoadtesterRef(namespace, "flagger-loadtester", "80");
    }

    /** The API server path of one loadtester endpoint, e.g. {@code /gate/open}. */
    public String proxyPath(String endpoint) {
        return "/api/v1/namespaces/" + namespace + "/services/" + service + ":" + port + "/proxy" + endpoint;
    }

    @Override
    public String toString() {
        return namespace + "/" + service + ":" + port;
    }
}
