package io.infraworker.execution.code;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes zips byte by byte, so tests can set what ZipOutputStream won't: external attributes, duplicates, lying sizes. */
public final class RawZip {
  static final int UNIX_MADE_BY = (3 << 8) | 20;
  static final long REGULAR = 0100644L << 16;
  static final long SYMLINK = 0120777L << 16;
  static final long FIFO = 0010644L << 16;

  private record Entry(String name, byte[] stored, int method, long crc, long size, long declaredSize, long extAttr) {}

  private final List<Entry> entries = new ArrayList<>();

  public RawZip file(String name, byte[] data) {
    return add(name, deflate(data), 8, crc(data), data.length, data.length, REGULAR);
  }

  public RawZip symlink(String name, String target) {
    byte[] data = target.getBytes(StandardCharsets.UTF_8);
    return add(name, data, 0, crc(data), data.length, data.length, SYMLINK);
  }

  RawZip withAttributes(String name, byte[] data, long extAttr) {
    return add(name, data, 0, crc(data), data.length, data.length, extAttr);
  }

  /** An entry whose deflated data is given, with the real size and CRC but any declared size. */
  RawZip deflated(String name, byte[] compressed, long crc, long realSize, long declaredSize) {
    return add(name, compressed, 8, crc, realSize, declaredSize, REGULAR);
  }

  private RawZip add(String name, byte[] stored, int method, long crc, long size, long declared, long extAttr) {
    entries.add(new Entry(name, stored, method, crc, size, declared, extAttr));
    return this;
  }

  public byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> offsets = new ArrayList<>();
    for (Entry e : entries) {
      offsets.add(out.size());
      byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
      u32(out, 0x04034b50);
      u16(out, 20);
      u16(out, 0x800);
      u16(out, e.method);
      u16(out, 0);
      u16(out, 0x21);
      u32(out, e.crc);
      u32(out, e.stored.length);
      u32(out, e.declaredSize);
      u16(out, name.length);
      u16(out, 0);
      out.writeBytes(name);
      out.writeBytes(e.stored);
    }
    int dirStart = out.size();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
      u32(out, 0x02014b50);
      u16(out, UNIX_MADE_BY);
      u16(out, 20);
      u16(out, 0x800);
      u16(out, e.method);
      u16(out, 0);
      u16(out, 0x21);
      u32(out, e.crc);
      u32(out, e.stored.length);
      u32(out, e.declaredSize);
      u16(out, name.length);
      u16(out, 0);
      u16(out, 0);
      u16(out, 0);
      u16(out, 0);
      u32(out, e.extAttr);
      u32(out, offsets.get(i));
      out.writeBytes(name);
    }
    int dirSize = out.size() - dirStart;
    u32(out, 0x06054b50);
    u16(out, 0);
    u16(out, 0);
    u16(out, entries.size());
    u16(out, entries.size());
    u32(out, dirSize);
    u32(out, dirStart);
    u16(out, 0);
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  static long crc(byte[] data) {
    CRC32 c = new CRC32();
    c.update(data);
    return c.getValue();
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xff);
    out.write((v >>> 8) & 0xff);
  }

  private static void u32(ByteArrayOutputStream out, long v) {
    u16(out, (int) (v & 0xffff));
    u16(out, (int) ((v >>> 16) & 0xffff));
  }
}
