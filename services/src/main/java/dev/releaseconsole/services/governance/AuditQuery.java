package dev.releaseconsole.services.governance;

/** Filter for reading the audit log: free text over actor/action/target/result/detail, newest first, at most {@code limit}. */
public record AuditQuery(String text, String action, String result, int limit) {
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, limit);
    }
}
