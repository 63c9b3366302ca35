package io.infraworker.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpreterPathTest {
  @Test
  void pathHoldsTheRealInterpreterDirectoriesNeverAShimAndThenTheSystemOnes() {
    String path = InterpreterPath.resolve(System.getenv("PATH"), Optional.empty());
    assertThat(path.split(":")).doesNotContain("").noneMatch(d -> d.endsWith("/shims"))
        .contains("/usr/local/bin", "/usr/bin", "/bin");
  }

  @Test
  void pathForAnotherUserHoldsOnlyDirectoriesThatUserCanSearch() {
    RunAs nobody = new RunAs("nobody", 65534, 65534);
    String path = InterpreterPath.resolve(System.getenv("PATH"), Optional.of(nobody));
    assertThat(path.split(":")).allSatisfy(dir -> assertThat(InterpreterPath.usableBy(Path.of(dir), nobody))
        .as(dir).isTrue());
  }

  @Test
  void aFileInAPrivateDirectoryIsNotUsableByAnotherUser(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path tool = Files.createFile(bin.resolve("python3"));
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    RunAs stranger = new RunAs("stranger", 54321, 54321);

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    boolean open = InterpreterPath.usableBy(tool, stranger);
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
    boolean closed = InterpreterPath.usableBy(tool, stranger);

    assertThat(open).isEqualTo(InterpreterPath.usableBy(dir.getParent(), stranger));
    assertThat(closed).isFalse();
  }
}
