package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.governance.Secrets;
import dev.releaseconsole.services.model.ConnectionState;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;

import javax.net.ssl.SSLException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns what went wrong talking to an API server into a connection state and a message that says what to do. */
final class ConnectionProblems {

    /** A classified failure: the state to show and the message to show with it. */
    record Verdict(ConnectionState state, String message) {
    }

    private ConnectionProblems() {
    }

    /** The HTTP status of a Kubernetes API failure anywhere in the cause chain, or 0 when there was none. */
    static int code(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KubernetesClientException && ((KubernetesClientException) c).getCode() > 0) {
                return ((KubernetesClientException) c).getCode();
            }
            if (c instanceof WatcherException) {
                KubernetesClientException k = ((WatcherException) c).asClientException();
                if (k.getCode() > 0) {
                    return k.getCode();
                }
            }
        }
        return 0;
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /**
     * True for a 403 that the API server gave to {@code system:anonymous}: the credentials were not sent at all
     * (typically an exec plugin that failed), which is an authentication problem, not a permission one.
     */
    static boolean anonymous(Throwable t) {
        return code(t) == 403 && shortMessage(t).contains("system:anonymous");
    }

    /** The state and message for a failure to list or watch; {@code auth} describes the context's credentials. */
    static Verdict classify(Throwable t, String context, String server, String auth) {
        int code = code(t);
        if (anonymous(t)) {
            return new Verdict(ConnectionState.UNAUTHORIZED, "The API server at " + server + " saw no credentials "
                    + "from context '" + context + "' (it answered as to system:anonymous). "
                    + unauthorizedHint(auth) + " Check with `kubectl --context " + context + " get namespaces`.");
        }
        if (code == 401) {
            return new Verdict(ConnectionState.UNAUTHORIZED, unauthorized(context, server, auth));
        }
        if (code == 403) {
            return new Verdict(ConnectionState.FORBIDDEN, "The API server at " + server + " refused the request "
                    + "(403 Forbidden) for context '" + context + "'. Ask your cluster admin for get, list and watch "
                    + "on rollouts.argoproj.io, analysisruns.argoproj.io, replicasets.apps and canaries.flagger.app, "
                    + "or add the namespaces you may read to this cluster's configuration.");
        }
        if (code > 0) {
            return new Verdict(ConnectionState.UNREACHABLE, "The API server at " + server + " answered " + code
                    + (code >= 500 ? " (server error)" : "") + ": " + shortMessage(t)
                    + ". Check `kubectl --context " + context + " get --raw /readyz`.");
        }
        return new Verdict(ConnectionState.UNREACHABLE, unreachable(t, server));
    }

    static String unauthorized(String context, String server, String auth) {
        return "The API server at " + server + " rejected the credentials of context '" + context
                + "' (401 Unauthorized). " + unauthorizedHint(auth) + " Check with `kubectl --context " + context
                + " get namespaces`.";
    }

    private static String unauthorizedHint(String auth) {
        String hint;
        if (auth == null || auth.equals("none")) {
            hint = "This context has no credentials: give it a user with a token, client certificate or exec plugin.";
        } else if (auth.startsWith("exec plugin")) {
            hint = "The " + auth + " may have failed or returned an expired token. Run your cloud CLI's login "
                    + "and check that the plugin is on PATH.";
        } else if (auth.startsWith("auth-provider")) {
            hint = "Your " + auth.substring("auth-provider ".length()) + " login has probably expired: log in again.";
        } else if (auth.equals("token")) {
            hint = "The token has probably expired or been revoked: get a new one.";
        } else if (auth.equals("client certificate")) {
            hint = "The client certificate may have expired or not be trusted by this cluster: renew it.";
        } else {
            hint = "Check the user of this context.";
        }
        return hint;
    }

    static String unreachable(Throwable t, String server) {
        String host = host(server);
        if (find(t, UnknownHostException.class) != null) {
            return "Cannot resolve " + host + " (DNS). Check the server address in kubeconfig, and your VPN if the "
                    + "cluster is private.";
        }
        if (find(t, ConnectException.class) != null) {
            return "Cannot connect to " + server + ": connection refused. Check that the cluster is running and the "
                    + "address is right; if it is reached through a VPN, tunnel or bastion, start that first.";
        }
        if (find(t, NoRouteToHostException.class) != null) {
            return "No route to " + host + ". Check your network or VPN.";
        }
        if (find(t, SocketTimeoutException.class) != null || find(t, TimeoutException.class) != null
                || find(t, InterruptedIOException.class) != null
                || find(t, java.net.http.HttpTimeoutException.class) != null) {
            return server + " did not answer in time. Check your VPN or firewall, and that the address is right.";
        }
        if (find(t, CertificateException.class) != null || find(t, SSLException.class) != null) {
            return "TLS with " + server + " failed: " + shortMessage(t) + ". Check certificate-authority(-data) for "
                    + "this cluster in kubeconfig.";
        }
        return "Cannot talk to " + server + ": " + shortMessage(t) + ". Check the address and your network.";
    }

    /** An ActionException for a failed read or action, classified for the audit log. */
    static ActionException actionException(String what, Throwable t, String server) {
        int code = code(t);
        ActionException.Reason reason;
        String detail;
        switch (code) {
            case 401:
            case 403:
                reason = ActionException.Reason.DENIED;
                detail = code == 401 ? "the credentials were rejected (401)" : "forbidden (403)";
                break;
            case 404:
                reason = ActionException.Reason.NOT_FOUND;
                detail = "not found (404)";
                break;
            case 409:
                reason = ActionException.Reason.CONFLICT;
                detail = "conflict (409): " + shortMessage(t);
                break;
            case 429:
                reason = ActionException.Reason.RATE_LIMITED;
                detail = "rate limited (429)";
                break;
            case 400:
            case 422:
                reason = ActionException.Reason.INVALID;
                detail = "rejected as invalid (" + code + "): " + shortMessage(t);
                break;
            case 0:
                if (find(t, SocketTimeoutException.class) != null || find(t, TimeoutException.class) != null
                        || find(t, InterruptedIOException.class) != null) {
                    reason = ActionException.Reason.TIMEOUT;
                    detail = server + " did not answer in time";
                } else {
                    reason = ActionException.Reason.UNAVAILABLE;
                    detail = unreachable(t, server);
                }
                break;
            default:
                reason = code >= 500 ? ActionException.Reason.UNAVAILABLE : ActionException.Reason.UNKNOWN;
                detail = "the API server answered " + code + ": " + shortMessage(t);
        }
        return new ActionException(reason, Secrets.redact(what + " failed: " + detail), t);
    }

    /** The first line of the deepest useful message, redacted and shortened. */
    static String shortMessage(Throwable t) {
        Throwable u = unwrap(t);
        String m = null;
        for (Throwable c = u; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                m = c.getMessage();
                if (!(c instanceof KubernetesClientException)) {
                    break;
                }
                KubernetesClientException k = (KubernetesClientException) c;
                if (k.getStatus() != null && k.getStatus().getMessage() != null) {
                    m = k.getStatus().getMessage();
                    break;
                }
            }
        }
        if (m == null) {
            m = u.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        if (m.length() > 200) {
            m = m.substring(0, 200) + "…";
        }
        return Secrets.redact(m);
    }

    static String host(String server) {
        try {
            URI u = URI.create(server);
            return u.getHost() == null ? server : u.getHost();
        } catch (RuntimeException e) {
            return server;
        }
    }
}
