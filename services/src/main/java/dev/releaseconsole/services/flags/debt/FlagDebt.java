package dev.releaseconsole.services.flags.debt;

import dev.releaseconsole.services.model.FlagType;

import java.time.Instant;

/**
 * One piece of flag debt: which flag ({@code provider} null for a registry entry that names no provider), its owner
 * where known, why it is debt and what to do about it, in words. {@code since} is the moment the debt is measured
 * from (the expiry day, the creation, the switch to 100%), null where it has none.
 */
public record FlagDebt(DebtKind kind, String key, String provider, String owner, FlagType type, String why,
                       String whatToDo, Instant since) {
}
