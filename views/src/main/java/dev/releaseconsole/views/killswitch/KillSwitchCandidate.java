package dev.releaseconsole.views.killswitch;

import dev.releaseconsole.services.model.ConnectionState;
import dev.releaseconsole.services.model.Environment;
import dev.releaseconsole.services.model.FlagRef;
import dev.releaseconsole.services.model.RolloutRef;

import java.util.List;
import java.util.Locale;

/**
 * Something on-call can pull the kill switch for: a kill-switch flag (its state per environment and its provider's
 * connection), or a rollout that has linked flags (its cluster's connection). Exactly one of {@code flag} and
 * {@code rollout} is set; {@code source} is the provider or cluster and {@code sourceMessage} what it last said.
 */
public record KillSwitchCandidate(String label, String detail, FlagRef flag, RolloutRef rollout,
                                  List<EnvironmentState> environments, String source, ConnectionState sourceState,
                                  String sourceMessage) {
    /** One environment of a flag: on or off there, and how close to users it is. */
    public record EnvironmentState(String name, Environment tier, boolean on) {
        public String text() {
            return name + " " + (on ? "ON" : "off");
        }
    }

    public KillSwitchCandidate {
        environments = List.copyOf(environments);
    }

    public static KillSwitchCandidate of(FlagRef flag, String detail, List<EnvironmentState> environments,
                                         ConnectionState providerState, String providerMessage) {
        return new KillSwitchCandidate("flag " + flag.key() + " (" + flag.provider() + ")", detail, flag, null,
                environments, flag.provider(), providerState, providerMessage);
    }

    public static KillSwitchCandidate of(RolloutRef rollout, String detail, ConnectionState clusterState,
                                         String clusterMessage) {
        return new KillSwitchCandidate("rollout " + rollout, detail, null, rollout, List.of(), rollout.cluster(),
                clusterState, clusterMessage);
    }

    public boolean isFlag() {
        return flag != null;
    }

    /** The name on the big button and in messages: the flag's key or the rollout's name. */
    public String shortName() {
        return isFlag() ? flag.key() : rollout.name();
    }

    /** Whether the source answers: when not, the states shown may be old and the switch may not reach it. */
    public boolean sourceConnected() {
        return sourceState == ConnectionState.CONNECTED;
    }

    /** "demo: connected" or "unleash-main: unreachable — connection refused". */
    public String sourceText() {
        String state = sourceState == null ? "unknown" : sourceState.name().toLowerCase(Locale.ROOT);
        return source + ": " + state + (sourceConnected() || sourceMessage == null || sourceMessage.isBlank() ? ""
                : " — " + sourceMessage);
    }

    /** Whether {@code query} (lower case, words separated by spaces) matches every word somewhere in this row. */
    public boolean matches(String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String hay = (label + " " + detail + " " + source + " " + environments.stream().map(EnvironmentState::name)
                .reduce("", (a, b) -> a + " " + b)).toLowerCase(Locale.ROOT);
        for (String word : query.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
            if (!hay.contains(word)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return label;
    }
}
