package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where a function's code zip lives in S3. */
public class CodeRef {
  @Required
  @Size(min = 3, max = 63)
  @JsonPropertyDescription("S3 bucket holding the code zip; must be one of the operator's allowed code buckets.")
  private String bucket;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("S3 key of the code zip (the payload's s3Key).")
  private String key;

  public CodeRef() {}

  public CodeRef(String bucket, String key) {
    this.bucket = bucket;
    this.key = key;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
