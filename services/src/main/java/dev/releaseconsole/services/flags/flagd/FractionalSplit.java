package dev.releaseconsole.services.flags.flagd;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A flag whose whole targeting is {@code {"fractional": [bucketBy?, [on, N], [off, M]]}}: the only shape whose
 * percentage the console changes. The on-variant is the one whose value is {@code true}; for non-boolean variants,
 * the one that is not the default variant. Anything else (more variants, a split under an {@code if}, shorthand
 * weights, a {@code $ref}) is not a split here.
 *
 * @param onIndex  position of the on-variant's [name, weight] pair in the fractional array
 * @param offIndex position of the off-variant's pair
 * @param bucketBy the bucketing expression, null when flagd's default (flag key + targeting key) applies
 */
record FractionalSplit(String onVariant, String offVariant, int onIndex, int offIndex, double onWeight,
                       double offWeight, JsonNode bucketBy) {

    static Optional<FractionalSplit> of(JsonNode flag) {
        JsonNode targeting = flag.path("targeting");
        if (!targeting.isObject() || targeting.size() != 1 || !targeting.path("fractional").isArray()) {
            return Optional.empty();
        }
        JsonNode fractional = targeting.get("fractional");
        JsonNode bucketBy = null;
        List<Integer> pairs = new ArrayList<>();
        for (int i = 0; i < fractional.size(); i++) {
            JsonNode e = fractional.get(i);
            if (e.isArray()) {
                if (e.size() != 2 || !e.get(0).isTextual() || !e.get(1).isNumber()) {
                    return Optional.empty();
                }
                pairs.add(i);
            } else if (i == 0) {
                bucketBy = e;
            } else {
                return Optional.empty();
            }
        }
        if (pairs.size() != 2) {
            return Optional.empty();
        }
        String a = fractional.get(pairs.get(0)).get(0).asText();
        String b = fractional.get(pairs.get(1)).get(0).asText();
        JsonNode variants = flag.path("variants");
        JsonNode va = variants.get(a);
        JsonNode vb = variants.get(b);
        if (va == null || vb == null || a.equals(b)) {
            return Optional.empty();
        }
        int on;
        if (va.isBoolean() && vb.isBoolean() && va.asBoolean() != vb.asBoolean()) {
            on = va.asBoolean() ? 0 : 1;
        } else {
            String defaultVariant = flag.path("defaultVariant").asText();
            if (a.equals(defaultVariant) == b.equals(defaultVariant)) {
                return Optional.empty();
            }
            on = a.equals(defaultVariant) ? 1 : 0;
        }
        int onIndex = pairs.get(on);
        int offIndex = pairs.get(1 - on);
        double onWeight = fractional.get(onIndex).get(1).asDouble();
        double offWeight = fractional.get(offIndex).get(1).asDouble();
        if (onWeight < 0 || offWeight < 0 || onWeight + offWeight <= 0) {
            return Optional.empty();
        }
        return Optional.of(new FractionalSplit(fractional.get(onIndex).get(0).asText(),
                fractional.get(offIndex).get(0).asText(), onIndex, offIndex, onWeight, offWeight, bucketBy));
    }

    /** The on-variant's share, rounded to a whole percent (weights are relative: 1 and 3 are 25%). */
    int percent() {
        return (int) Math.round(100.0 * onWeight / (onWeight + offWeight));
    }

    boolean onWeightIsWhole() {
        return onWeight == Math.rint(onWeight) && offWeight == Math.rint(offWeight);
    }

    String percentLabel() {
        return percent() + "%";
    }
}
