package dev.releaseconsole.services.kube.actions;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionException.Reason;
import dev.releaseconsole.services.governance.Secrets;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Turns fabric8's exceptions into {@link ActionException}s whose messages say what was refused, where, and what to
 * do, and never carry credentials.
 */
public final class KubeErrors {
    private KubeErrors() {
    }

    /**
     * What one request needed: {@code verb} and {@code resource} as RBAC names them ("patch", "rollouts/status"),
     * the namespace, and the cluster for messages (may be null when unknown).
     */
    public record RequestInfo(String verb, String resource, String namespace, String name, String cluster) {
        String where() {
            return "in namespace " + namespace + (cluster == null ? "" : " on cluster " + cluster);
        }

        String what() {
            return verb + " " + resource;
        }
    }

    public static ActionException toActionException(KubernetesClientException e, RequestInfo req) {
        int code = e.getCode();
        String server = serverMessage(e);
        String msg;
        Reason reason;
        if (code == 401) {
            reason = Reason.DENIED;
            msg = "401 Unauthorized: the cluster did not accept your credentials, so you may not " + req.what() + " "
                    + req.where() + "; log in again (an expired token or exec plugin session is the usual cause)";
        } else if (code == 403) {
            reason = Reason.DENIED;
            msg = "403 Forbidden: you may not " + req.what() + " " + req.where() + suffix(server);
        } else if (code == 404) {
            reason = Reason.NOT_FOUND;
            msg = "404 Not Found: " + resourceBase(req.resource()) + " " + req.namespace() + "/" + req.name()
                    + " does not exist" + (req.cluster() == null ? "" : " on cluster " + req.cluster()) + suffix(server);
        } else if (code == 409) {
            reason = Reason.CONFLICT;
            msg = "409 Conflict: the API server refused to " + req.what() + " " + req.where()
                    + " because the object changed concurrently" + suffix(server);
        } else if (code == 429) {
            reason = Reason.RATE_LIMITED;
            msg = "429 Too Many Requests: the API server is throttling requests; " + retryAfter(e)
                    .map(d -> "it asks to retry after " + d.toSeconds() + "s").orElse("try again shortly")
                    + " (" + req.what() + " " + req.where() + ")";
        } else if (code == 400 || code == 422) {
            reason = Reason.INVALID;
            msg = code + " " + (code == 400 ? "Bad Request" : "Unprocessable Entity") + ": the API server rejected "
                    + req.what() + " " + req.where() + suffix(server);
        } else if (code >= 500) {
            reason = Reason.UNAVAILABLE;
            msg = code + ": the API server could not " + req.what() + " " + req.where() + " right now"
                    + suffix(server) + "; it may or may not have been applied";
        } else if (code <= 0 && isTimeout(e)) {
            reason = Reason.TIMEOUT;
            msg = "timed out waiting for the API server to " + req.what() + " " + req.where()
                    + ": the request may or may not have been applied; look at the rollout before trying again";
        } else if (code <= 0) {
            reason = Reason.UNAVAILABLE;
            msg = "could not reach the API server to " + req.what() + " " + req.where() + ": " + rootMessage(e);
        } else {
            reason = Reason.UNKNOWN;
            msg = code + ": the API server refused to " + req.what() + " " + req.where() + suffix(server);
        }
        return new ActionException(reason, Secrets.redact(msg), e);
    }

    /** A short, credential-free description of why a call failed, for "could not check permissions: ...". */
    public static String describe(Throwable t) {
        if (t instanceof KubernetesClientException kce) {
            int code = kce.getCode();
            if (code <= 0) {
                return Secrets.redact(isTimeout(kce) ? "the API server did not answer in time"
                        : "could not reach the API server (" + rootMessage(kce) + ")");
            }
            return Secrets.redact(code + " " + Optional.ofNullable(serverMessage(kce)).orElse("from the API server"));
        }
        return Secrets.redact(rootMessage(t));
    }

    /** The Retry-After the API server put into the Status details of a 429 (it also sends the header). */
    public static Optional<Duration> retryAfter(KubernetesClientException e) {
        Status s = e.getStatus();
        if (s != null && s.getDetails() != null && s.getDetails().getRetryAfterSeconds() != null
                && s.getDetails().getRetryAfterSeconds() > 0) {
            return Optional.of(Duration.ofSeconds(s.getDetails().getRetryAfterSeconds()));
        }
        return Optional.empty();
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof HttpTimeoutException) {
                return true;
            }
            if (t instanceof InterruptedIOException && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String serverMessage(KubernetesClientException e) {
        Status s = e.getStatus();
        if (s != null && s.getMessage() != null && !s.getMessage().isBlank()) {
            return s.getMessage();
        }
        return null;
    }

    private static String suffix(String server) {
        return server == null ? "" : " (API server: " + server + ")";
    }

    private static String resourceBase(String resource) {
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(0, slash);
    }
}
