package io.infraworker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JobNamesTest {
  private static final String DNS_1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

  @Test
  void isDeterministic() {
    assertThat(JobNames.forRequestId("job-12345")).isEqualTo(JobNames.forRequestId("job-12345"));
  }

  @Test
  void keepsAReadablePrefixAndAddsTenHexChars() {
    assertThat(JobNames.forRequestId("job-12345")).matches("job-12345-[0-9a-f]{10}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"A.B:C_d", "...", "-", "::--..", "_", "a", "A", "--a--", "9", "x.-.-y",
      "Ünïcödé", "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"})
  void isAValidDns1123LabelForWeirdIds(String requestId) {
    String name = JobNames.forRequestId(requestId);
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches(DNS_1123_LABEL);
  }

  @Test
  void isValidForTheLongestAllowedId() {
    String id = "A.b:C_d-".repeat(16);
    assertThat(id).hasSize(128);
    String name = JobNames.forRequestId(id);
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches(DNS_1123_LABEL).startsWith("a-b-c-d-a-b-c-d");
  }

  @Test
  void fallsBackToJobWhenNothingReadableIsLeft() {
    assertThat(JobNames.forRequestId(".:_-")).matches("job-[0-9a-f]{10}");
  }

  @Test
  void collapsesRunsAndTrims() {
    assertThat(JobNames.forRequestId("..A__b::c..")).matches("a-b-c-[0-9a-f]{10}");
  }

  @Test
  void cutsThePrefixWithoutLeavingADash() {
    // The 40th char is a separator: the cut must not end the prefix with '-'.
    String id = "a".repeat(39) + "." + "b".repeat(20);
    assertThat(JobNames.forRequestId(id)).matches("a{39}-[0-9a-f]{10}");
  }

  @Test
  void differentIdsGetDifferentNames() {
    List<String> ids = List.of("Job-1", "job-1", "job.1", "job:1", "job_1", "job-2", "JOB-1");
    Set<String> names = new HashSet<>();
    ids.forEach(id -> names.add(JobNames.forRequestId(id)));
    assertThat(names).hasSize(ids.size());
  }
}
