package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The SQS message body, exactly the original worker's payload (field names included). Values are
 * kept as sent; {@code intake} validates them before anything is created.
 *
 * @param requestId the task's id, 1-128 chars of [A-Za-z0-9._:-]
 * @param functionId the function's id (optional)
 * @param runtime python, nodejs, cpp or go
 * @param s3Key key of the code zip
 * @param s3Bucket bucket of the code zip (optional; default S3_CODE_BUCKET)
 * @param memoryMb memory limit in MiB (optional; default 128)
 * @param timeoutMs time limit in ms (optional; default 300000)
 * @param input any JSON
 * @param modelId LLM model for the AI endpoint (optional)
 * @param envVars extra environment of the function (optional)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskPayload(
    String requestId,
    String functionId,
    String runtime,
    String s3Key,
    String s3Bucket,
    Integer memoryMb,
    Long timeoutMs,
    JsonNode input,
    String modelId,
    Map<String, String> envVars) {}
