package dev.releaseconsole.services.actions;

/** The team's policy (freeze windows, office hours, error budget...). */
public interface PolicyEngine {
    Verdict evaluate(PolicyRequest request);

    /** The default until a policy pack is configured: everything allowed, and the audit log says so. */
    PolicyEngine PERMISSIVE = request -> Verdict.allowed("no policy configured");
}
