package io.infraworker.cli.submit;

import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import java.time.Duration;

/**
 * What became of a submission.
 *
 * @param requestId the task's id
 * @param codeKey the S3 key the code was uploaded to
 * @param resultJson the result exactly as Redis gave it; null when none arrived in time
 * @param result the parsed result; null when none arrived
 * @param waited time from sending to the result (or to giving up)
 */
public record SubmitOutcome(String requestId, String codeKey, String resultJson, JobResult result, Duration waited) {
  public boolean arrived() {
    return result != null;
  }

  public boolean succeeded() {
    return result != null && result.status() == ResultStatus.SUCCESS;
  }
}
