package io.infraworker.dev.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The façade's pure translations: strategic merge patches, JSONPaths, ages, field selectors, pod status. */
class TranslationsTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aStrategicPatchMergesKeyedListsAndKeepsTheElementOrder() throws Exception {
    JsonNode current = json.readTree("""
        {"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"X","value":"1"}]},
          {"name":"b","image":"b:1"},{"name":"c","image":"c:1"}]}}""");
    JsonNode patch = json.readTree("""
        {"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],
          "containers":[{"name":"a","image":"a:2"},{"name":"c","$patch":"delete"}]}}""");

    JsonNode merged = MergePatch.apply(current, StrategicMergePatch.toMergePatch(patch, current));

    assertThat(merged.toString()).isEqualTo(
        "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"b:1\"},"
            + "{\"name\":\"a\",\"image\":\"a:2\",\"env\":[{\"name\":\"X\",\"value\":\"1\"}]}]}}");
  }

  @Test
  void aStrategicPatchDeletesFromPrimitiveListsAndReplacesUnmarkedLists() throws Exception {
    JsonNode current = json.readTree("""
        {"metadata":{"finalizers":["x","y"],"labels":{"a":"1","b":"2"}},"spec":{"args":["1","2"]}}""");
    JsonNode patch = json.readTree("""
        {"metadata":{"$deleteFromPrimitiveList/finalizers":["x"],"finalizers":["z"],"labels":{"a":null}},
         "spec":{"args":["3"]}}""");

    JsonNode merged = MergePatch.apply(current, StrategicMergePatch.toMergePatch(patch, current));

    assertThat(merged.toString()).isEqualTo(
        "{\"metadata\":{\"finalizers\":[\"y\",\"z\"],\"labels\":{\"b\":\"2\"}},\"spec\":{\"args\":[\"3\"]}}");
  }

  @Test
  void jsonPathsReadFieldsAndIndexesAndWriteMergePatches() throws Exception {
    JsonNode object = json.readTree("{\"status\":{\"conditions\":[{\"type\":\"Ready\"}]},\"spec\":{\"replicas\":2}}");

    assertThat(SimpleJsonPath.parse(".status.conditions[0].type").read(object).asText()).isEqualTo("Ready");
    assertThat(SimpleJsonPath.parse(".status.missing").read(object).isMissingNode()).isTrue();
    assertThat(SimpleJsonPath.parse(".spec.replicas")
        .mergePatchSetting(json.createObjectNode(), json.getNodeFactory().numberNode(5)).toString())
        .isEqualTo("{\"spec\":{\"replicas\":5}}");
  }

  @Test
  void agesReadAsKubectlPrintsThem() {
    assertThat(HumanDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(HumanDuration.format(Duration.ofSeconds(192))).isEqualTo("3m12s");
    assertThat(HumanDuration.format(Duration.ofMinutes(95))).isEqualTo("95m");
    assertThat(HumanDuration.format(Duration.ofHours(5))).isEqualTo("5h");
    assertThat(HumanDuration.format(Duration.ofHours(51))).isEqualTo("2d3h");
  }

  @Test
  void fieldSelectorsCompareNestedFields() throws Exception {
    JsonNode event = json.readTree("{\"involvedObject\":{\"name\":\"p\",\"kind\":\"WarmPool\"},\"type\":\"Normal\"}");

    assertThat(FieldSelector.parse("involvedObject.name=p,involvedObject.kind==WarmPool").matches(event)).isTrue();
    assertThat(FieldSelector.parse("involvedObject.name=q").matches(event)).isFalse();
    assertThat(FieldSelector.parse("type!=Warning").matches(event)).isTrue();
  }

  @Test
  void podStatusFollowsContainerStates() throws Exception {
    JsonNode crashing = json.readTree("""
        {"spec":{"containers":[{"name":"f"}]},"status":{"phase":"Running","containerStatuses":[
          {"name":"f","ready":false,"restartCount":2,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""");
    JsonNode terminating = json.readTree("""
        {"metadata":{"deletionTimestamp":"2026-01-01T00:00:00Z"},"status":{"phase":"Running"}}""");

    assertThat(PodColumns.status(crashing)).isEqualTo("CrashLoopBackOff");
    assertThat(PodColumns.ready(crashing)).isEqualTo("0/1");
    assertThat(PodColumns.restarts(crashing)).isEqualTo("2");
    assertThat(PodColumns.status(terminating)).isEqualTo("Terminating");
  }
}
