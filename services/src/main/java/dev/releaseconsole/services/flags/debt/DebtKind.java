package dev.releaseconsole.services.flags.debt;

/** Why a flag is debt; the order is the order the debt view lists them in. */
public enum DebtKind {
    EXPIRED("Expired"),
    PAST_LIFETIME("Past its lifetime"),
    FULLY_ON("At 100% too long"),
    NO_OWNER("No owner"),
    NOT_IN_REGISTRY("Not in the registry"),
    NOT_IN_PROVIDER("In no provider"),
    LINK_AMBIGUOUS("Ambiguous rollout link"),
    LINK_NOT_REPORTED("Linked rollout missing");

    private final String label;

    DebtKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
