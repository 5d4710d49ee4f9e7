package dev.releaseconsole.services.actions;

/** The answer of one gate (state, permission, policy): allowed, already done, or refused with a reason. */
public record Verdict(Kind kind, String reason) {
    public enum Kind { ALLOWED, ALREADY_DONE, REFUSED }

    public static Verdict allowed() {
        return new Verdict(Kind.ALLOWED, "");
    }

    public static Verdict allowed(String why) {
        return new Verdict(Kind.ALLOWED, why);
    }

    public static Verdict alreadyDone(String reason) {
        return new Verdict(Kind.ALREADY_DONE, reason);
    }

    public static Verdict refused(String reason) {
        return new Verdict(Kind.REFUSED, reason);
    }

    public boolean isAllowed() {
        return kind == Kind.ALLOWED;
    }

    public boolean isRefused() {
        return kind == Kind.REFUSED;
    }
}
