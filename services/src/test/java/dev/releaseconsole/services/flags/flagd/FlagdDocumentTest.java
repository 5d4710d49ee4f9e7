package dev.releaseconsole.services.flags.flagd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.releaseconsole.services.actions.ActionException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The editing core: what an edit changes (exactly one value), what it refuses, and how targeting reads. */
class FlagdDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String fixture() {
        try (InputStream in = FlagdDocumentTest.class.getResourceAsStream("/flagd/flags.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void turningAFlagOffChangesItsStateValueAndNotOneOtherCharacter() throws Exception {
        String before = fixture();
        FlagdDocument.Edit edit = FlagdDocument.parse(before, "test").withState("checkout-fast-path", false);

        assertThat(edit.change()).isEqualTo("flags.checkout-fast-path.state ENABLED -> DISABLED");
        int at = before.indexOf("\"state\"   : \"ENABLED\"");
        String expected = before.substring(0, at) + "\"state\"   : \"DISABLED\""
                + before.substring(at + "\"state\"   : \"ENABLED\"".length());
        assertThat(edit.text()).isEqualTo(expected);
        ObjectNode wanted = (ObjectNode) JSON.readTree(before);
        ((ObjectNode) wanted.at("/flags/checkout-fast-path")).set("state", TextNode.valueOf("DISABLED"));
        assertThat(JSON.readTree(edit.text())).isEqualTo(wanted);
        assertThat(fieldOrder(JSON.readTree(edit.text()))).isEqualTo(fieldOrder(JSON.readTree(before)));
    }

    @Test
    void changingTheRolloutRewritesBothWeightsAndKeepsBucketingEvaluatorsMetadataAndUnknownFields() throws Exception {
        String before = fixture();
        FlagdDocument.Edit edit = FlagdDocument.parse(before, "test").withRolloutPercent("new-checkout-flow", 25);

        assertThat(edit.change()).isEqualTo("flags.new-checkout-flow fractional on 10% -> 25%, off -> 75%");
        ObjectNode wanted = (ObjectNode) JSON.readTree(before);
        ArrayNode fractional = (ArrayNode) wanted.at("/flags/new-checkout-flow/targeting/fractional");
        ((ArrayNode) fractional.get(1)).set(1, IntNode.valueOf(25));
        ((ArrayNode) fractional.get(2)).set(1, IntNode.valueOf(75));
        JsonNode after = JSON.readTree(edit.text());
        assertThat(after).isEqualTo(wanted);
        assertThat(after.at("/flags/new-checkout-flow/x-ticket").asText()).isEqualTo("SHOP-1234");
        assertThat(after.get("$schema").asText()).isEqualTo("https://flagd.dev/schema/v0/flags.json");
        assertThat(after.at("/$evaluators/eu-countries")).isEqualTo(JSON.readTree(before).at("/$evaluators/eu-countries"));
        assertThat(fieldOrder(after)).isEqualTo(fieldOrder(JSON.readTree(before)));
        assertThat(edit.text().replace("[ \"on\", 25 ]", "[ \"on\", 10 ]").replace("[ \"off\", 75 ]", "[ \"off\", 90 ]"))
                .as("only the two weights differ, byte for byte").isEqualTo(before);
    }

    @Test
    void anAlreadySatisfiedEditChangesNothing() throws Exception {
        String before = fixture();
        FlagdDocument doc = FlagdDocument.parse(before, "test");

        assertThat(doc.withState("beta-banner", false).changesNothing(before)).isTrue();
        assertThat(doc.withRolloutPercent("new-checkout-flow", 10).changesNothing(before)).isTrue();
    }

    @Test
    void percentagesAreRefusedForEveryOtherTargetingShapeSayingWhatItIs() throws Exception {
        FlagdDocument doc = FlagdDocument.parse(fixture(), "file flags.json");

        assertThatThrownBy(() -> doc.withRolloutPercent("beta-banner", 50)).isInstanceOf(ActionException.class)
                .hasMessageContaining("has no two-variant fractional split at the top of its targeting")
                .hasMessageContaining("if email ends_with @example.com then shown, else fractional: shown 25%")
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(ActionException.Reason.INVALID));
        assertThatThrownBy(() -> doc.withRolloutPercent("search-ranking", 50))
                .hasMessageContaining("fractional: classic 50% / neural 25% / hybrid 25%");
        assertThatThrownBy(() -> doc.withRolloutPercent("checkout-fast-path", 50))
                .hasMessageContaining("everyone gets on");
        assertThatThrownBy(() -> doc.withRolloutPercent("no-such-flag", 50))
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(ActionException.Reason.NOT_FOUND));
    }

    @Test
    void targetingIsSummarisedWhereUnderstoodAndCalledCustomWhereNot() throws Exception {
        FlagdDocument doc = FlagdDocument.parse(fixture(), "test");

        assertThat(summary(doc, "new-checkout-flow")).isEqualTo("fractional: on 10% / off 90% (by userId)");
        assertThat(summary(doc, "checkout-fast-path")).isEqualTo("everyone gets on");
        assertThat(summary(doc, "beta-banner"))
                .isEqualTo("if email ends_with @example.com then shown, else fractional: shown 25% / hidden 75%");
        assertThat(summary(doc, "eu-pricing")).isEqualTo(
                "if rule eu-countries (country in [de, fr, nl]) and appVersion >= 2.4.0 (semver) then on, else off");
        assertThat(summary(doc, "weekday-discount")).isEqualTo("custom targeting (JsonLogic)");
    }

    @Test
    void theRolloutPercentIsTheOnVariantsShare() throws Exception {
        FlagdDocument doc = FlagdDocument.parse(fixture(), "test");

        assertThat(FractionalSplit.of(doc.flag("new-checkout-flow").orElseThrow()).orElseThrow().percent())
                .isEqualTo(10);
        assertThat(FractionalSplit.of(doc.flag("beta-banner").orElseThrow())).isEmpty();
        assertThat(FractionalSplit.of(doc.flag("search-ranking").orElseThrow())).isEmpty();
    }

    @Test
    void malformedJsonIsReportedWithItsPosition() {
        String broken = fixture().replace("\"defaultVariant\": \"hidden\",", "\"defaultVariant\": \"hidden\"");

        assertThatThrownBy(() -> FlagdDocument.parse(broken, "ConfigMap shop/flags key flags.json"))
                .isInstanceOf(ActionException.class)
                .hasMessageStartingWith("ConfigMap shop/flags key flags.json is not valid JSON at line 28, column 7")
                .hasMessageContaining("Nothing was changed");
    }

    @Test
    void duplicateKeysAreRefusedRatherThanGuessedAt() {
        String twice = fixture().replace("\"state\": \"DISABLED\",", "\"state\": \"DISABLED\", \"state\": \"ENABLED\",");

        assertThatThrownBy(() -> FlagdDocument.parse(twice, "test")).hasMessageContaining("Duplicate field 'state'");
    }

    @Test
    void schemaViolationsAreReportedWithThePathTheyConcern() {
        String badState = fixture().replace("\"state\": \"DISABLED\"", "\"state\": \"OFF\"");
        String noDefault = fixture().replace("\"defaultVariant\": \"hidden\",", "");

        assertThatThrownBy(() -> FlagdDocument.parse(badState, "test"))
                .hasMessageContaining("is not valid against flagd's schema: $.flags.beta-banner.state: does not have a value"
                        + " in the enumeration");
        assertThatThrownBy(() -> FlagdDocument.parse(noDefault, "test"))
                .hasMessageContaining("is not valid against flagd's schema").hasMessageContaining("defaultVariant");
    }

    @Test
    void theSchemasOwnExamplesValidate() throws Exception {
        String minimal = """
                {"flags": {"f": {"state": "ENABLED", "variants": {"a": 1, "b": 2.5}, "defaultVariant": "a"}}}""";
        assertThat(FlagdDocument.parse(minimal, "test").flagKeys()).containsExactly("f");
    }

    private static String summary(FlagdDocument doc, String key) {
        return TargetingSummary.describe(doc.flag(key).orElseThrow(), doc.evaluators());
    }

    /** Every object's field names in order, depth first, so a reordering anywhere shows. */
    private static List<String> fieldOrder(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(n -> {
                out.add(at + "/" + n);
                collect(node.get(n), at + "/" + n, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), at + "/" + i, out);
            }
        }
    }
}
