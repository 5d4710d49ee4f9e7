package dev.releaseconsole.services.governance;

/** A secret could not be read; the message names the source and what to do, never the secret. */
public final class SecretException extends Exception {
    public SecretException(String message) {
        super(message);
    }
}
