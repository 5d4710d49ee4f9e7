package dev.releaseconsole.app;

import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.store.LiveState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the configured flag providers. A provider whose adapter is not in this build, or that cannot be built from
 * its configuration, is not silently dropped: it is published as a provider status saying so (the views and the
 * command line show it beside the flags), and the console starts without it.
 */
final class FlagProviders {
    /** What came out of the configuration: the providers built, and for the others why not. */
    record Built(List<FlagProvider> providers, Map<String, String> unavailable) {
    }

    private FlagProviders() {
    }

    static Built build(List<FlagsConfig.Provider> configured, LiveState state) {
        List<FlagProvider> built = new ArrayList<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (FlagsConfig.Provider p : configured) {
            try {
                built.add(build(p));
            } catch (IllegalArgumentException | IllegalStateException e) {
                unavailable.put(p.id(), e.getMessage());
                state.flagProviders().upsert(new FlagProviderStatus(p.id(), p.type(), ConnectionState.DISCONNECTED,
                        e.getMessage(), null));
            }
        }
        return new Built(built, unavailable);
    }

    /** One provider from its (validated) configuration. */
    static FlagProvider build(FlagsConfig.Provider p) {
        FlagsConfig.Type type = p.typeValue();
        throw new IllegalStateException("flag provider type " + type.configName() + " is not available in this build"
                + " (its adapter has not landed yet); provider " + p.id() + " is not connected");
    }

    /**
     * Who may change a real provider's flags: its token decides (a 401 or 403 comes back as "denied" with the
     * provider's message), so the console only refuses in read-only mode. The actor in the audit log is the user
     * running the console.
     */
    static PermissionChecker tokenPermissions(boolean readOnly) {
        return new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                return readOnly ? Verdict.refused("the console runs read-only (--read-only or kubernetes.readOnly)")
                        : Verdict.allowed();
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return System.getProperty("user.name", "unknown");
            }
        };
    }

    /** Routes each flag target to its provider's checker (the demo's own rules for its flags). */
    static PermissionChecker byProvider(Map<String, PermissionChecker> checkers, PermissionChecker fallback) {
        return new PermissionChecker() {
            @Override
            public Verdict mayPerform(ActionType action, ActionTarget target) {
                return checkerFor(target).mayPerform(action, target);
            }

            @Override
            public String whoAmI(ActionTarget target) {
                return checkerFor(target).whoAmI(target);
            }

            private PermissionChecker checkerFor(ActionTarget target) {
                if (target instanceof FlagTarget ft) {
                    return checkers.getOrDefault(ft.flag().provider(), fallback);
                }
                return fallback;
            }
        };
    }
}
