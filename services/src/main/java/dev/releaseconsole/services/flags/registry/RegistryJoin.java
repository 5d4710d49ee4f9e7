package dev.releaseconsole.services.flags.registry;

import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagRegistration;
import dev.releaseconsole.services.model.FlagRegistry;
import dev.releaseconsole.services.model.FlagType;
import dev.releaseconsole.services.model.RolloutLink;
import dev.releaseconsole.services.model.RolloutRef;
import dev.releaseconsole.services.store.LiveState;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a provider reports, completed by the registry, applied to each flag before it is published: the registry's
 * linked rollouts are added to the provider's own (so the kill switch and the views use them), and where the
 * provider has no owner or no type, the registry's are used. The provider's state (environments, percentages) is
 * never changed. Uses the registry in the live state at the time of the call, so a reload takes effect at the next
 * publish.
 */
public final class RegistryJoin implements UnaryOperator<Flag> {
    private final LiveState state;

    public RegistryJoin(LiveState state) {
        this.state = state;
    }

    @Override
    public Flag apply(Flag flag) {
        FlagRegistry registry = state.flagRegistry();
        Optional<FlagRegistration> entry = registry.lookup(flag.ref());
        if (entry.isEmpty()) {
            return flag;
        }
        FlagRegistration e = entry.get();
        Set<RolloutRef> links = new LinkedHashSet<>(flag.linkedRollouts());
        for (RolloutLink link : e.rollouts()) {
            links.addAll(RolloutLinks.resolve(link, state).refs());
        }
        String owner = flag.owner() == null || flag.owner().isBlank() ? e.owner() : flag.owner();
        boolean providerHasType = flag.type() != null && flag.type() != FlagType.UNKNOWN;
        FlagType type = providerHasType || e.type() == null ? flag.type() : e.type();
        return new Flag(flag.ref(), type, flag.description(), owner, flag.environments(), links.stream().toList(),
                flag.createdAt());
    }
}
