package io.infraworker.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {
  @Test
  void aLogPastTheCapIsRotatedOnceAndTruncated(@TempDir Path dir) throws Exception {
    Path log = Files.writeString(dir.resolve("jobs_p.log"), "x".repeat(2000));
    LogFiles logs = new LogFiles(1000, 2);

    logs.truncateIfLarge(log);

    assertThat(log).isEmptyFile();
    assertThat(LogFiles.rotated(log)).hasSize(2000);
  }

  @Test
  void onlyTheNewestRetiredLogsAreKept(@TempDir Path dir) throws Exception {
    LogFiles logs = new LogFiles(1000, 2);
    Path a = Files.writeString(dir.resolve("a.log"), "a");
    Path b = Files.writeString(dir.resolve("b.log"), "b");
    Path c = Files.writeString(dir.resolve("c.log"), "c");

    logs.retire(a);
    logs.retire(b);
    logs.retire(c);

    assertThat(a).doesNotExist();
    assertThat(b).exists();
    assertThat(c).exists();
  }
}
