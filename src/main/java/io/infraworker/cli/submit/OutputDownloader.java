package io.infraworker.cli.submit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches a result's output files by their URLs (presigned or plain, a plain GET either way) into a
 * folder, each at its path below {@code outputs/{requestId}/}.
 */
public final class OutputDownloader {
  private final HttpClient http;
  private final Duration timeout;

  public OutputDownloader(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  public OutputDownloader() {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build(), Duration.ofMinutes(5));
  }

  /** Downloads every URL; returns the files written. Stops at the first failure. */
  public List<Path> download(List<String> urls, String requestId, Path outDir) throws SubmitException, IOException {
    List<Path> written = new ArrayList<>();
    Path root = outDir.toAbsolutePath().normalize();
    for (String url : urls) {
      URI uri = URI.create(url);
      Path target = root.resolve(relativePath(uri, requestId)).normalize();
      // The URL comes from the network; a crafted path must not write outside --out.
      if (!target.startsWith(root) || target.equals(root)) {
        throw SubmitException.failure("refusing to write output " + url + " outside " + root, null);
      }
      Files.createDirectories(target.getParent());
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
      HttpResponse<InputStream> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while downloading " + url, e);
      }
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw SubmitException.failure("cannot download " + url + ": HTTP " + response.statusCode(), null);
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(body, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      written.add(target);
    }
    return written;
  }

  /** The part of the URL's (decoded) path after {@code outputs/{requestId}/}, else its last segment. */
  static String relativePath(URI uri, String requestId) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String marker = "outputs/" + requestId + "/";
    int at = path.indexOf(marker);
    if (at >= 0 && at + marker.length() < path.length()) {
      return path.substring(at + marker.length());
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.isEmpty() ? "output" : last;
  }
}
