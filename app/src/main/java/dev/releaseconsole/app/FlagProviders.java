package dev.releaseconsole.app;

import dev.releaseconsole.services.actions.ActionException;
import dev.releaseconsole.services.actions.ActionType;
import dev.releaseconsole.services.actions.FlagProvider;
import dev.releaseconsole.services.actions.PermissionChecker;
import dev.releaseconsole.services.actions.Verdict;
import dev.releaseconsole.services.flags.flagd.ConfigMapDefinitions;
import dev.releaseconsole.services.flags.flagd.DefinitionsSource;
import dev.releaseconsole.services.flags.flagd.FeatureFlagDefinitions;
import dev.releaseconsole.services.flags.flagd.FileDefinitions;
import dev.releaseconsole.services.flags.flagd.FlagdProvider;
import dev.releaseconsole.services.flags.launchdarkly.LaunchDarklyProvider;
import dev.releaseconsole.services.flags.launchdarkly.LaunchDarklySettings;
import dev.releaseconsole.services.flags.unleash.UnleashProvider;
import dev.releaseconsole.services.flags.unleash.UnleashSettings;
import dev.releaseconsole.services.governance.SecretSource;
import dev.releaseconsole.services.kube.KubeCluster;
import dev.releaseconsole.services.model.ActionTarget;
import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.Flag;
import dev.releaseconsole.services.model.FlagChangeEvent;
import dev.releaseconsole.services.model.FlagProviderStatus;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.FlagTarget;
import dev.releaseconsole.services.store.LiveState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the configured flag providers (Unleash, flagd in a file, ConfigMap or FeatureFlag, LaunchDarkly). A provider
 * that cannot be built (a flagd document on a cluster that is not watched, a bad address) is not silently dropped:
 * it is published as a provider status saying why (the views and the command line show it beside the flags), and
 * the console starts without it.
 */
final class FlagProviders {
    /** What came out of the configuration: the providers built, and for the others why not. */
    record Built(List<FlagProvider> providers, Map<String, String> unavailable) {
    }

    private FlagProviders() {
    }

    static Built build(ConsoleRuntime.FlagsPlan plan, LiveState state,
                       Function<String, Optional<KubeCluster>> clusters) {
        List<FlagProvider> built = new ArrayList<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (FlagsConfig.Provider p : plan.providers()) {
            try {
                built.add(build(p, plan, clusters));
            } catch (IllegalArgumentException | IllegalStateException e) {
                String why = "cannot use flag provider " + p.id() + ": " + e.getMessage();
                unavailable.put(p.id(), why);
                state.flagProviders().upsert(new FlagProviderStatus(p.id(), p.type(), ConnectionState.DISCONNECTED,
                        why, null));
            }
        }
        return new Built(built, unavailable);
    }

    /** One provider from its (validated) configuration. */
    static FlagProvider build(FlagsConfig.Provider p, ConsoleRuntime.FlagsPlan plan,
                              Function<String, Optional<KubeCluster>> clusters) {
        FlagsConfig.Type type = p.typeValue();
        return switch (type) {
            case UNLEASH -> {
                UnleashSettings s = UnleashSettings.of(p.id(), p.url(), token(p, plan));
                if (!p.project().isEmpty()) {
                    s = s.withProjects(p.project());
                }
                if (!p.environments().isEmpty()) {
                    s = s.withEnvironmentTiers(p.tiers());
                }
                s = s.withTimeouts(p.connectTimeoutValue(s.connectTimeout()), p.readTimeoutValue(s.readTimeout()))
                        .withMaxRetryWait(p.maxRetryWaitValue(s.maxRetryWait()))
                        .withFullRefresh(p.fullRefreshValue(s.fullRefresh()));
                yield new UnleashProvider(s);
            }
            case LAUNCHDARKLY -> {
                LaunchDarklySettings s = LaunchDarklySettings.of(p.id(), p.url(), p.project().get(0), p.tiers(),
                        token(p, plan));
                yield new LaunchDarklyProvider(s.withTimeouts(p.connectTimeoutValue(s.connectTimeout()),
                        p.readTimeoutValue(s.readTimeout())));
            }
            case FLAGD_FILE -> flagd(p, new FileDefinitions(FlagsConfig.resolve(p.path(), plan.configDir(),
                    plan.home())));
            case FLAGD_CONFIGMAP -> {
                KubeCluster c = watched(p, clusters);
                yield flagd(p, new ConfigMapDefinitions(c::client, c.cluster().id(), p.namespace(), p.name(),
                        p.key()));
            }
            case FLAGD_FEATUREFLAG -> {
                KubeCluster c = watched(p, clusters);
                yield flagd(p, new FeatureFlagDefinitions(c::client, c.cluster().id(), p.namespace(), p.name()));
            }
        };
    }

    private static FlagProvider flagd(FlagsConfig.Provider p, DefinitionsSource source) {
        Map.Entry<String, Environment> env = p.tiers().entrySet().iterator().next();
        return new FlagdProvider(p.id(), env.getKey(), env.getValue(), source);
    }

    /** A flagd document in Kubernetes is edited through the console's own connection to that cluster. */
    private static KubeCluster watched(FlagsConfig.Provider p, Function<String, Optional<KubeCluster>> clusters) {
        return clusters.apply(p.context()).orElseThrow(() -> new IllegalStateException("context " + p.context()
                + " is not watched: its flags are edited through the same connection as its rollouts, so add "
                + p.context() + " to kubernetes.contexts (or --context)"));
    }

    /** The provider's token reference as the shared secret source (read when needed, never shown). */
    private static SecretSource token(FlagsConfig.Provider p, ConsoleRuntime.FlagsPlan plan) {
        FlagsConfig.TokenRef ref = p.token();
        return switch (ref.kind()) {
            case "env" -> SecretSource.env(ref.value());
            case "file" -> SecretSource.file(FlagsConfig.resolve(ref.value(), plan.configDir(), plan.home()));
            default -> SecretSource.parse("keychain:" + ref.value());
        };
    }

    /** {@code provider}, asking for a fresh poll after each write it makes. */
    static FlagProvider refreshingAfterWrites(FlagProvider provider, Runnable refresh) {
        return new FlagProvider() {
            @Override
            public String id() {
                return provider.id();
            }

            @Override
            public String kind() {
                return provider.kind();
            }

            @Override
            public List<Flag> list() throws ActionException {
                return provider.list();
            }

            @Override
            public Optional<Flag> read(FlagRef ref) throws ActionException {
                return provider.read(ref);
            }

            @Override
            public String setEnabled(FlagRef ref, String environment, boolean enabled) throws ActionException {
                try {
                    return provider.setEnabled(ref, environment, enabled);
                } finally {
                    refresh.run();
                }
            }

            @Override
            public String setRolloutPercent(FlagRef ref, String environment, int percent) throws ActionException {
                try {
                    return provider.setRolloutPercent(ref, environment, percent);
                } finally {
                    refresh.run();
                }
            }

            @Override
            public List<FlagChangeEvent> events(FlagRef ref, int limit) throws ActionException {
                return provider.events(ref, limit);
            }
        };
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
