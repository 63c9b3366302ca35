package io.infraworker.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infraworker.api.JobResult;

/** The result JSON of Redis: every field of {@link JobResult}, in its declared order, nulls written as null. */
final class ResultJson {
  private final ObjectMapper mapper = new ObjectMapper()
      // A newer operator may add fields; an older one reading job:{id} must not fail on them.
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  String write(JobResult result) {
    try {
      return mapper.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the result of " + result.requestId(), e);
    }
  }

  JobResult read(String json) {
    try {
      return mapper.readValue(json, JobResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored result is not a JobResult: " + e.getOriginalMessage(), e);
    }
  }
}
