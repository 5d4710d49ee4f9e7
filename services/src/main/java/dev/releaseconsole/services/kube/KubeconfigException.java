package dev.releaseconsole.services.kube;

import dev.releaseconsole.services.governance.Secrets;

/**
 * A kubeconfig that cannot be used, with a message meant for the user: which file or context, what is wrong, what to
 * do. Messages are redacted; they never carry tokens, keys or passwords.
 */
public class KubeconfigException extends Exception {
    public KubeconfigException(String message) {
        super(Secrets.redact(message));
    }

    public KubeconfigException(String message, Throwable cause) {
        super(Secrets.redact(message), cause);
    }
}
