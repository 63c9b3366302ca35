package io.infraworker.execution.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Ordinary zips made with java.util.zip, and a deflated run of zeros built without holding it in memory. */
final class Zips {
  private Zips() {}

  /** A zip of the given names (ending in '/' for directories) and contents, in order. */
  static byte[] zip(Map<String, byte[]> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] zipOf(String... nameThenText) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < nameThenText.length; i += 2) {
      files.put(nameThenText[i], nameThenText[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return zip(files);
  }

  /** {@code size} zero bytes, raw-deflated, and their CRC-32. */
  record Deflated(byte[] compressed, long crc, long size) {}

  static Deflated zeros(long size) {
    byte[] chunk = new byte[1024 * 1024];
    Deflater d = new Deflater(Deflater.BEST_SPEED, true);
    CRC32 crc = new CRC32();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    for (long left = size; left > 0; left -= chunk.length) {
      int n = (int) Math.min(left, chunk.length);
      crc.update(chunk, 0, n);
      d.setInput(chunk, 0, n);
      while (!d.needsInput()) {
        out.write(buf, 0, d.deflate(buf));
      }
    }
    d.finish();
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return new Deflated(out.toByteArray(), crc.getValue(), size);
  }
}
