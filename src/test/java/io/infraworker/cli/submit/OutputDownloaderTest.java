package io.infraworker.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDownloaderTest {
  @Test
  void thePathAfterTheRequestsOutputPrefixIsKept() {
    assertThat(OutputDownloader.relativePath(URI.create(
        "http://127.0.0.1:9000/bucket/outputs/r-1/data/numbers.csv?X-Amz-Signature=abc"), "r-1"))
        .isEqualTo("data/numbers.csv");
    assertThat(OutputDownloader.relativePath(URI.create(
        "https://bucket.s3.ap-northeast-2.amazonaws.com/outputs/r-1/my%20report.txt"), "r-1"))
        .isEqualTo("my report.txt");
    assertThat(OutputDownloader.relativePath(URI.create("https://example.com/elsewhere/x.png"), "r-1"))
        .isEqualTo("x.png");
  }

  @Test
  void aPathLeavingTheOutFolderIsRefused(@TempDir Path out) {
    assertThatThrownBy(() -> new OutputDownloader().download(
        List.of("http://127.0.0.1:1/b/outputs/r-1/..%2F..%2Fevil"), "r-1", out))
        .isInstanceOf(SubmitException.class)
        .hasMessageContaining("outside");
  }
}
