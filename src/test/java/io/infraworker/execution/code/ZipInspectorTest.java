package io.infraworker.execution.code;

import static io.infraworker.execution.code.Zips.zipOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZipInspectorTest {
  private static final long MIB = 1024 * 1024;
  private static Zips.Deflated zeros200;

  private final ZipInspector inspector = new ZipInspector();

  @BeforeAll
  static void compressZeros() {
    zeros200 = Zips.zeros(200 * MIB);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> refused(byte[] zip) {
    return assertThatThrownBy(() -> inspector.inspect(zip)).isInstanceOf(InvalidCodeException.class);
  }

  @Test
  void acceptsNestedDirectoriesAndAZipInsideTheZip() {
    byte[] inner = zipOf("inner.txt", "hi");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("main.py", "print('hi')".getBytes(StandardCharsets.UTF_8));
    files.put("lib/", new byte[0]);
    files.put("lib/util/helpers.py", "x = 1".getBytes(StandardCharsets.UTF_8));
    files.put("./lib/util/more.py", "y = 2".getBytes(StandardCharsets.UTF_8));
    files.put("data/inner.zip", inner);
    files.put("spaces.txt", " ".repeat(10 * 1024).getBytes(StandardCharsets.UTF_8));

    ZipSummary summary = inspector.inspect(Zips.zip(files));

    assertThat(summary.entries()).isEqualTo(6);
    assertThat(summary.uncompressedBytes()).isEqualTo(11 + 5 + 5 + inner.length + 10 * 1024);
  }

  @Test
  void acceptsAnEmptyArchiveLikeTheAgent() {
    assertThat(inspector.inspect(Zips.zip(Map.of())).entries()).isZero();
  }

  @Test
  void refusesZipSlip() {
    refused(zipOf("../evil.py", "x")).hasMessage("entry \"../evil.py\": path escapes the code directory");
    refused(zipOf("a/../../evil.py", "x")).hasMessageContaining("a/../../evil.py").hasMessageContaining("escapes");
    refused(zipOf("a/..", "x")).hasMessageContaining("escapes");
  }

  @Test
  void refusesAbsolutePathsDriveLettersBackslashesAndNul() {
    refused(zipOf("/etc/cron.d/x", "x")).hasMessage("entry \"/etc/cron.d/x\": absolute path");
    refused(zipOf("C:/Windows/x", "x")).hasMessage("entry \"C:/Windows/x\": drive letter in path");
    refused(zipOf("..\\..\\x", "x")).hasMessage("entry \"..\\\\..\\\\x\": backslash in path");
    refused(new RawZip().file("a\0b", new byte[1]).build()).hasMessage("entry \"a\\x00b\": NUL byte in name");
    refused(new RawZip().file("", new byte[1]).build()).hasMessage("entry with an empty name");
  }

  @Test
  void refusesSymlinksAndSpecialFiles() {
    byte[] link = new RawZip().file("main.py", new byte[1]).symlink("secrets", "/etc/passwd").build();
    refused(link).hasMessage("entry \"secrets\": symbolic links are not allowed");

    byte[] fifo = new RawZip().withAttributes("pipe", new byte[0], RawZip.FIFO).build();
    refused(fifo).hasMessage("entry \"pipe\": special files are not allowed");
  }

  @Test
  void refusesABombByItsHeaderRatio() throws IOException {
    // A 200 MiB run of zeros deflates about 1000:1; the header admits it.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(1);
      zip.putNextEntry(new ZipEntry("zeros.bin"));
      byte[] chunk = new byte[(int) MIB];
      for (int i = 0; i < 200; i++) {
        zip.write(chunk);
      }
      zip.closeEntry();
    }

    refused(bytes.toByteArray()).hasMessageStartingWith("entry \"zeros.bin\": compression ratio over 100 (");
  }

  @Test
  void refusesABombWhoseHeaderLiesWhileInflating() {
    // Declares 1 MiB (under the ratio floor, so the header passes); the real bytes give it away.
    byte[] zip = new RawZip().deflated("small.txt", zeros200.compressed(), zeros200.crc(), zeros200.size(), MIB).build();

    refused(zip).hasMessage("entry \"small.txt\": compression ratio over 100");
  }

  @Test
  void refusesArchivesExpandingPastTheTotalLimit() {
    // Ratio rule off, so only the 256 MiB total stops two honest 200 MiB entries.
    ZipInspector noRatio = new ZipInspector(10_000, ZipInspector.DEFAULT_MAX_TOTAL_BYTES, 1_000_000, MIB);
    byte[] zip = new RawZip()
        .deflated("a.bin", zeros200.compressed(), zeros200.crc(), zeros200.size(), zeros200.size())
        .deflated("b.bin", zeros200.compressed(), zeros200.crc(), zeros200.size(), zeros200.size())
        .build();

    assertThatThrownBy(() -> noRatio.inspect(zip)).isInstanceOf(InvalidCodeException.class)
        .hasMessage("entry \"b.bin\": archive expands past the 268435456 byte limit");
  }

  @Test
  void totalLimitCountsRealBytesOfIncompressibleEntries() {
    ZipInspector small = new ZipInspector(10_000, 4 * MIB, 100, MIB);
    Random random = new Random(1);
    RawZip raw = new RawZip();
    for (int i = 0; i < 3; i++) {
      byte[] data = new byte[(int) (2 * MIB)];
      random.nextBytes(data);
      raw.file("part" + i, data);
    }

    assertThatThrownBy(() -> small.inspect(raw.build())).isInstanceOf(InvalidCodeException.class)
        .hasMessage("entry \"part2\": archive expands past the 4194304 byte limit");
  }

  @Test
  void refusesTooManyEntries() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < 10_001; i++) {
      files.put("f" + i, new byte[0]);
    }
    refused(Zips.zip(files)).hasMessage("too many entries: 10001 (max 10000)");

    files.remove("f0");
    assertThat(inspector.inspect(Zips.zip(files)).entries()).isEqualTo(10_000);
  }

  @Test
  void refusesDuplicatesIncludingOnesThatOnlyCollideOnDisk() {
    refused(new RawZip().file("main.py", new byte[1]).file("main.py", new byte[2]).build())
        .hasMessage("entry \"main.py\": duplicate entry");
    refused(new RawZip().file("a/b.py", new byte[1]).file("a//./b.py", new byte[2]).build())
        .hasMessage("entry \"a//./b.py\": duplicate entry");
    refused(new RawZip().file("lib", new byte[1]).file("lib/x.py", new byte[1]).build())
        .hasMessage("entry \"lib/x.py\": parent \"lib\" is a file");
    refused(new RawZip().file("lib", new byte[1]).file("lib/", new byte[0]).build())
        .hasMessageContaining("duplicate entry");
    // A directory listed twice is harmless (the agent's MkdirAll does not mind).
    assertThat(inspector.inspect(new RawZip().file("d/", new byte[0]).file("d/", new byte[0])
        .file("d-x", new byte[1]).file("d/x", new byte[1]).build()).entries()).isEqualTo(4);
  }

  @Test
  void refusesCorruptData() {
    byte[] zip = zipOf("main.py", "print('hello, world')");
    refused(Arrays.copyOf(zip, zip.length - 10)).hasMessageStartingWith("not a valid zip archive");
    refused("not a zip".getBytes(StandardCharsets.UTF_8)).hasMessage("not a valid zip archive: end of central directory not found");

    byte[] wrongCrc = new RawZip().deflated("main.py", RawZip.deflate(new byte[] {1, 2, 3}), 42, 3, 3).build();
    refused(wrongCrc).hasMessage("entry \"main.py\": corrupt: CRC-32 mismatch");
  }

  @Test
  void corruptedBytesOnlyEverGiveInvalidCode() {
    byte[] valid = new RawZip().file("main.py", "print('x')".repeat(50).getBytes(StandardCharsets.UTF_8))
        .file("lib/a.py", new byte[300]).withAttributes("notes.txt", new byte[40], RawZip.REGULAR).build();
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      byte[] bad = i % 10 == 0 ? Arrays.copyOf(valid, random.nextInt(valid.length)) : valid.clone();
      for (int flips = random.nextInt(4); flips > 0 && bad.length > 0; flips--) {
        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
      }
      try {
        inspector.inspect(bad);
      } catch (InvalidCodeException expected) {
        // refused with a message: fine
      }
    }
  }
}
