package dev.releaseconsole.services.metrics.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.releaseconsole.services.model.MetricPoint;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a query API answer as a stream: one token at a time, counting bytes, samples and series as it goes and
 * stopping at the first cap it passes, so a huge answer never sits in memory whole. Handles the envelope's
 * {@code status}/{@code errorType}/{@code error}/{@code warnings}, and results of type matrix, vector and scalar;
 * sample values are strings that may be "NaN", "+Inf" or "-Inf".
 */
final class PromResponseParser {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_WARNINGS = 10;

    /** The parsed envelope: success with a result, or Prometheus's error. */
    record Envelope(String status, String errorType, String error, PromResult result) {
        boolean success() {
            return "success".equals(status);
        }
    }

    /** A cap was passed: {@code what} says which ("more than 100 series"). */
    static final class TooLarge extends IOException {
        TooLarge(String what) {
            super(what);
        }
    }

    /** The answer is not the query API's JSON. */
    static final class Malformed extends IOException {
        Malformed(String what) {
            super(what);
        }
    }

    private final PrometheusEndpoint.Limits limits;
    private int points;
    private int seriesCount;

    PromResponseParser(PrometheusEndpoint.Limits limits) {
        this.limits = limits;
    }

    Envelope parse(InputStream raw) throws IOException {
        CountingStream in = new CountingStream(raw, limits.maxBytes());
        String status = null;
        String errorType = null;
        String error = null;
        List<String> warnings = new ArrayList<>();
        String resultType = null;
        List<PromSeries> series = List.of();
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("the answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "status" -> status = p.getValueAsString();
                    case "errorType" -> errorType = p.getValueAsString();
                    case "error" -> error = p.getValueAsString();
                    case "warnings" -> readStrings(p, t, warnings);
                    case "data" -> {
                        if (t != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            continue;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (f.equals("resultType")) {
                                resultType = p.getValueAsString();
                            } else if (f.equals("result")) {
                                series = readResult(p, v);
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        PromResult result = null;
        if ("success".equals(status)) {
            if ("string".equals(resultType)) {
                throw new Malformed("the query returned a string, not numbers");
            }
            result = new PromResult(resultType == null ? "" : resultType, series, warnings, in.count, points);
        }
        return new Envelope(status, errorType, error, result);
    }

    private static void readStrings(JsonParser p, JsonToken t, List<String> out) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (out.size() < MAX_WARNINGS && p.currentToken() == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            } else {
                p.skipChildren();
            }
        }
    }

    /** {@code result}: an array of series objects (matrix, vector), or one [time, "value"] pair (scalar, string). */
    private List<PromSeries> readResult(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<PromSeries> out = new ArrayList<>();
        JsonToken first = p.nextToken();
        if (first == JsonToken.END_ARRAY) {
            return out;
        }
        if (first != JsonToken.START_OBJECT) {
            // a scalar: [time, "value"]; we are past its '['
            MetricPoint pt = readPointBody(p, first);
            count(1);
            out.add(new PromSeries(Map.of(), List.of(pt)));
            return out;
        }
        do {
            out.add(readSeries(p));
        } while (p.nextToken() == JsonToken.START_OBJECT);
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new Malformed("unexpected " + p.currentToken() + " in result");
        }
        return out;
    }

    private PromSeries readSeries(JsonParser p) throws IOException {
        if (++seriesCount > limits.maxSeries()) {
            throw new TooLarge("more than " + limits.maxSeries() + " series");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        List<MetricPoint> pts = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "metric" -> {
                    if (v != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        labels.put(name, p.getValueAsString());
                    }
                }
                case "value" -> {
                    expect(v, JsonToken.START_ARRAY, "value");
                    pts.add(readPointBody(p, p.nextToken()));
                    count(1);
                }
                case "values" -> {
                    expect(v, JsonToken.START_ARRAY, "values");
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        pts.add(readPointBody(p, p.nextToken()));
                        count(1);
                    }
                }
                default -> p.skipChildren(); // native histograms ("histogram(s)") are not drawn
            }
        }
        return new PromSeries(labels, pts);
    }

    /** The rest of a [time, "value"] pair whose '[' was read; {@code t} is the time's token. */
    private static MetricPoint readPointBody(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
            throw new Malformed("a sample's time is " + t + ", not a number");
        }
        long millis = Math.round(p.getDoubleValue() * 1000.0);
        p.nextToken();
        double value = value(p.getValueAsString());
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw new Malformed("a sample has more than a time and a value");
        }
        return new MetricPoint(millis, value);
    }

    /** Prometheus formats sample values as strings: decimal numbers, "NaN", "+Inf", "-Inf". */
    static double value(String s) throws Malformed {
        if (s == null) {
            throw new Malformed("a sample has no value");
        }
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new Malformed("a sample's value '" + (s.length() > 40 ? s.substring(0, 40) + "…" : s)
                            + "' is not a number");
                }
        }
    }

    private void count(int n) throws TooLarge {
        points += n;
        if (points > limits.maxPoints()) {
            throw new TooLarge("more than " + limits.maxPoints() + " samples");
        }
    }

    private static void expect(JsonToken got, JsonToken want, String field) throws Malformed {
        if (got != want) {
            throw new Malformed("'" + field + "' is " + got + ", not " + want);
        }
    }

    /** Counts bytes read and refuses to read past the cap. */
    private static final class CountingStream extends FilterInputStream {
        private final long max;
        long count;

        CountingStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws TooLarge {
            count += n;
            if (count > max) {
                throw new TooLarge("more than " + max + " bytes");
            }
        }
    }
}
