package io.infraworker.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeZipperTest {
  @TempDir Path dir;

  private final CodeZipper zipper = new CodeZipper();

  @Test
  void aFolderIsZippedSortedWithRelativePathsAndWithoutCachesOrVcsData() throws Exception {
    Path fn = folder("fn");
    assertThat(entries(zipper.zip(fn))).containsExactly("a/b/c.py", "main.py", "z.txt");
  }

  @Test
  void theSameFolderGivesTheSameBytes() throws Exception {
    Path fn = folder("fn");
    byte[] first = zipper.zip(fn);
    Files.setLastModifiedTime(fn.resolve("main.py"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(zipper.zip(fn)).isEqualTo(first);
  }

  @Test
  void aSymlinkIsRefusedNamingIt() throws Exception {
    Path fn = folder("fn");
    Files.createSymbolicLink(fn.resolve("a/link.py"), fn.resolve("main.py"));
    assertThatThrownBy(() -> zipper.zip(fn))
        .isInstanceOf(SubmitException.class)
        .hasMessageContaining("symlink")
        .hasMessageContaining("link.py")
        .satisfies(e -> assertThat(((SubmitException) e).exitCode()).isEqualTo(SubmitException.USAGE));
  }

  @Test
  void aSymlinkToAFolderIsRefusedAndNotFollowed() throws Exception {
    Path fn = folder("fn");
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("secret"), "x");
    Files.createSymbolicLink(fn.resolve("linked-dir"), elsewhere);
    assertThatThrownBy(() -> zipper.zip(fn)).hasMessageContaining("linked-dir");
  }

  @Test
  void theFolderNamedMayItselfBeALink() throws Exception {
    Path fn = folder("fn");
    Path link = Files.createSymbolicLink(dir.resolve("fn-link"), fn);
    assertThat(entries(zipper.zip(link))).contains("main.py");
  }

  @Test
  void aZipIsTakenAsItIs() throws Exception {
    byte[] zip = zipper.zip(folder("fn"));
    Path file = dir.resolve("code.zip");
    Files.write(file, zip);
    assertThat(zipper.zip(file)).isEqualTo(zip);
    assertThat(CodeZipper.defaultFunctionId(file)).isEqualTo("code");
  }

  @Test
  void anythingElseIsAUsageError() throws Exception {
    Path text = Files.writeString(dir.resolve("main.py"), "print(1)");
    assertThatThrownBy(() -> zipper.zip(text)).hasMessageContaining("neither a folder nor a .zip");
    Path fake = Files.writeString(dir.resolve("fake.zip"), "not a zip");
    assertThatThrownBy(() -> zipper.zip(fake)).hasMessageContaining("not a zip");
    assertThatThrownBy(() -> zipper.zip(dir.resolve("missing"))).hasMessageContaining("does not exist");
    Path empty = Files.createDirectories(dir.resolve("empty/__pycache__"));
    assertThatThrownBy(() -> zipper.zip(empty.getParent())).hasMessageContaining("no files");
  }

  @Test
  void theDefaultFunctionIdIsTheFolderName() {
    assertThat(CodeZipper.defaultFunctionId(dir.resolve("hello-python"))).isEqualTo("hello-python");
    assertThat(CodeZipper.defaultFunctionId(Path.of("."))).isEqualTo(Path.of("").toAbsolutePath().getFileName().toString());
  }

  private Path folder(String name) throws IOException {
    Path root = Files.createDirectories(dir.resolve(name));
    Files.writeString(root.resolve("main.py"), "print('hi')\n");
    Files.writeString(root.resolve("z.txt"), "z");
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/c.py"), "C = 3\n");
    for (String skipped : List.of("__pycache__", ".git", "node_modules", "a/__pycache__")) {
      Files.createDirectories(root.resolve(skipped));
      Files.writeString(root.resolve(skipped).resolve("junk"), "junk");
    }
    return root;
  }

  private static List<String> entries(byte[] zip) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
