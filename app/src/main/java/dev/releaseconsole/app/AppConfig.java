package dev.releaseconsole.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.releaseconsole.services.metrics.prometheus.PrometheusMetricsConfig;
import dev.releaseconsole.services.analysis.JudgeConfig;
import dev.releaseconsole.services.analysis.MetricPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The console's configuration file ({@code $XDG_CONFIG_HOME/release-console/config.yaml}). It names what to watch
 * and how; it never holds secrets (those come from the kubeconfig, environment variables, files or the keychain).
 * Unknown keys are an error, so a typo is reported instead of silently ignored.
 */
public record AppConfig(Kubernetes kubernetes, Demo demo, Map<String, MetricsConfig> metrics, FlagsConfig flags,
                        Analysis analysis) {
    public static final AppConfig EMPTY = new AppConfig(Kubernetes.NONE, new Demo(DemoMode.AUTO), Map.of(),
            FlagsConfig.NONE, Analysis.DEFAULTS);

    public AppConfig(Kubernetes kubernetes, Demo demo) {
        this(kubernetes, demo, Map.of(), FlagsConfig.NONE, Analysis.DEFAULTS);
    }

    /** Which kubeconfig contexts to watch and how. */
    public record Kubernetes(
            @JsonProperty("contexts") List<String> contexts,
            @JsonProperty("readOnly") boolean readOnly,
            @JsonProperty("environments") Map<String, String> environments,
            @JsonProperty("namespaces") Map<String, List<String>> namespaces,
            @JsonProperty("flaggerLoadtester") Loadtester flaggerLoadtester) {
        static final Kubernetes NONE = new Kubernetes(List.of(), false, Map.of(), Map.of(), null);

        public Kubernetes {
            contexts = contexts == null ? List.of() : List.copyOf(contexts);
            environments = environments == null ? Map.of() : Map.copyOf(environments);
            namespaces = namespaces == null ? Map.of() : Map.copyOf(namespaces);
        }
    }

    /** The flagger-loadtester that serves Flagger's confirm and rollback gates, reached through the service proxy. */
    public record Loadtester(@JsonProperty("namespace") String namespace, @JsonProperty("service") String service,
                             @JsonProperty("port") String port) {
        public Loadtester {
            service = service == null ? "flagger-loadtester" : service;
            port = port == null ? "80" : port;
        }
    }

    /** AUTO: the demo world when no cluster is watched; ALWAYS: also beside real clusters. */
    public enum DemoMode { AUTO, ALWAYS }

    public record Demo(@JsonProperty("mode") DemoMode mode) {
        public Demo {
            mode = mode == null ? DemoMode.AUTO : mode;
        }
    }

    /**
     * The canary judge's settings (README: "Canary verdict"); each key left out keeps its default. {@code metrics}
     * changes single metrics by id: weight, reportOnly, requireData.
     */
    public record Analysis(@JsonProperty("confidence") Double confidence, @JsonProperty("tolerance") Double tolerance,
                           @JsonProperty("minEffect") Double minEffect, @JsonProperty("passScore") Integer passScore,
                           @JsonProperty("marginalScore") Integer marginalScore,
                           @JsonProperty("minSamples") Integer minSamples,
                           @JsonProperty("minIndependent") Integer minIndependent,
                           @JsonProperty("metrics") Map<String, Metric> metrics) {
        static final Analysis DEFAULTS = new Analysis(null, null, null, null, null, null, null, Map.of());

        public Analysis {
            metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        }

        /** One metric's changes; null keeps the default. */
        public record Metric(@JsonProperty("weight") Double weight, @JsonProperty("reportOnly") Boolean reportOnly,
                             @JsonProperty("requireData") Boolean requireData) {
        }

        /** The judge's configuration: the defaults with what this section sets; a bad value says which key. */
        public JudgeConfig judgeConfig() {
            JudgeConfig d = JudgeConfig.DEFAULTS;
            Map<String, MetricPolicy.Override> overrides = new java.util.LinkedHashMap<>();
            metrics.forEach((id, m) -> {
                if (m != null) {
                    overrides.put(id, new MetricPolicy.Override(m.weight(), m.reportOnly(), m.requireData()));
                }
            });
            try {
                return new JudgeConfig(or(confidence, d.confidence()), or(tolerance, d.tolerance()),
                        or(minEffect, d.minEffect()), or(passScore, d.passScore()),
                        or(marginalScore, d.marginalScore()), or(minSamples, d.minSamples()),
                        or(minIndependent, Math.min(d.minIndependent(), or(minSamples, d.minSamples()))),
                        d.serialCorrection(), overrides);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("analysis: " + e.getMessage());
            }
        }

        private static <T> T or(T value, T fallback) {
            return value == null ? fallback : value;
        }
    }

    public AppConfig {
        kubernetes = kubernetes == null ? Kubernetes.NONE : kubernetes;
        demo = demo == null ? new Demo(DemoMode.AUTO) : demo;
        analysis = analysis == null ? Analysis.DEFAULTS : analysis;
        flags = flags == null ? FlagsConfig.NONE : flags;
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(metrics));
    }

    /**
     * Each context's Prometheus and metric templates ({@code metrics.<context>}), checked: a mistake is an error that
     * names its key. Relative paths in it are taken from {@code configDir}, the configuration file's folder.
     */
    public Map<String, PrometheusMetricsConfig> prometheus(java.nio.file.Path configDir) {
        Map<String, PrometheusMetricsConfig> out = new java.util.LinkedHashMap<>();
        metrics.forEach((context, m) -> {
            if (m == null) {
                throw new IllegalArgumentException("metrics." + context + " is empty; it needs at least "
                        + "prometheus.url");
            }
            out.put(context, m.toConfig("metrics." + context, configDir));
        });
        return out;
    }

    /** Whether the demo world runs, given --demo and the contexts actually watched (from options or this file). */
    public boolean demoEnabled(boolean demoFlag, List<String> contexts) {
        return demoFlag || demo.mode() == DemoMode.ALWAYS || contexts.isEmpty();
    }

    /** Reads the file; a missing file is the empty configuration, a broken one is an error that says where. */
    public static AppConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    static AppConfig parse(String yaml, String origin) {
        if (yaml.isBlank()) {
            return EMPTY;
        }
        ObjectMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .build();
        try {
            AppConfig config = mapper.readValue(yaml, AppConfig.class);
            if (config == null) {
                return EMPTY;
            }
            try {
                config.prometheus(null); // every mistake now, at start-up, not when a chart first asks
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(origin + ": " + e.getMessage());
            }
            List<String> problems = config.flags().problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(origin + ": " + (problems.size() == 1 ? problems.get(0)
                        : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
            }
            return config;
        } catch (UnrecognizedPropertyException e) {
            // The key's path, not a line: Jackson buffers record properties, so its line can point past the typo.
            StringBuilder path = new StringBuilder();
            for (var ref : e.getPath()) {
                if (ref.getFieldName() == null) {
                    path.append('[').append(ref.getIndex()).append(']');
                } else {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                }
            }
            String name = e.getPropertyName() == null ? "" : e.getPropertyName().toLowerCase(java.util.Locale.ROOT);
            boolean secretLike = name.contains("token") || name.contains("secret") || name.contains("password")
                    || name.contains("apikey") || name.contains("api_key") || name.contains("credential");
            // never echo the value: it may be the secret itself
            throw new IllegalArgumentException(origin + ": unknown key '" + path + "'; known keys there: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()
                    + (secretLike ? ". Secrets never go in this file: name where the token is with tokenEnv (an"
                    + " environment variable), tokenFile (a file) or keychain (service=...,account=... in the"
                    + " desktop keyring)" : ""));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
            throw new IllegalArgumentException(origin + where + ": " + e.getOriginalMessage());
        }
    }
}
