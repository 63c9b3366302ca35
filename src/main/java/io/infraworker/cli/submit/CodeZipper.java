package io.infraworker.cli.submit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Turns a function's folder into its code zip, or takes a ready {@code .zip} as it is. */
public final class CodeZipper {
  /** Folders that are never code: VCS data, bytecode caches, installed dependencies. */
  public static final Set<String> SKIPPED_DIRS = Set.of(".git", "__pycache__", "node_modules");

  // A fixed time makes the same folder give the same bytes, so a re-submit is recognisably identical.
  private static final FileTime FIXED_TIME = FileTime.fromMillis(315_532_800_000L); // 1980-01-01, zip's epoch

  /** The zip of {@code source}: a folder's files (sorted, relative paths) or the bytes of a .zip file. */
  public byte[] zip(Path source) throws SubmitException, IOException {
    if (Files.isDirectory(source)) {
      return zipFolder(source);
    }
    if (Files.isRegularFile(source) && isZipName(source)) {
      byte[] bytes = Files.readAllBytes(source);
      if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
        throw SubmitException.usage(source + " is not a zip file");
      }
      return bytes;
    }
    if (!Files.exists(source)) {
      throw SubmitException.usage(source + " does not exist");
    }
    throw SubmitException.usage(source + " is neither a folder nor a .zip file");
  }

  /** The function id a source stands for when none is given: the folder's name, or the zip's without .zip. */
  public static String defaultFunctionId(Path source) {
    Path name = source.toAbsolutePath().normalize().getFileName();
    String text = name == null ? "function" : name.toString();
    return isZipName(Path.of(text)) ? text.substring(0, text.length() - ".zip".length()) : text;
  }

  private static boolean isZipName(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  private byte[] zipFolder(Path folder) throws SubmitException, IOException {
    // The folder named on the command line may itself be a link; links inside it are refused.
    Path root = folder.toRealPath();
    List<String> files = listFiles(root);
    if (files.isEmpty()) {
      throw SubmitException.usage(folder + " has no files to submit");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String relative : files) {
        ZipEntry entry = new ZipEntry(relative);
        entry.setLastModifiedTime(FIXED_TIME);
        zip.putNextEntry(entry);
        Files.copy(root.resolve(relative), zip);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static List<String> listFiles(Path root) throws SubmitException, IOException {
    List<String> files = new ArrayList<>();
    List<Path> symlinks = new ArrayList<>();
    // walkFileTree without FOLLOW_LINKS reports a link as a file of its own, so none is followed.
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        Path name = dir.getFileName();
        if (!dir.equals(root) && name != null && SKIPPED_DIRS.contains(name.toString())) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
          symlinks.add(file);
        } else if (attrs.isRegularFile()) {
          files.add(relativeName(root, file));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (!symlinks.isEmpty()) {
      // A link may point outside the folder (~/.aws, /etc); copying what it points to is the user's call.
      throw SubmitException.usage("refusing to zip symlink " + root.relativize(symlinks.get(0))
          + (symlinks.size() > 1 ? " (and " + (symlinks.size() - 1) + " more)" : "")
          + ": replace it with the file it points to");
    }
    files.sort(null);
    return files;
  }

  // Zip entry names use '/' whatever the platform's separator.
  private static String relativeName(Path root, Path file) {
    List<String> parts = new ArrayList<>();
    for (Path part : root.relativize(file)) {
      parts.add(part.toString());
    }
    return String.join("/", parts);
  }
}
