package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where this JVM's cgroups are: the hierarchies' mount points and its own path in each. */
final class CgroupMounts {
  private record Mount(Path mountPoint, String root) {}

  private final Map<String, Mount> v1Mounts;
  private final Map<String, String> v1Paths;
  private final Mount v2Mount;
  private final String v2Path;

  private CgroupMounts(Map<String, Mount> v1Mounts, Map<String, String> v1Paths, Mount v2Mount, String v2Path) {
    this.v1Mounts = v1Mounts;
    this.v1Paths = v1Paths;
    this.v2Mount = v2Mount;
    this.v2Path = v2Path;
  }

  static CgroupMounts read() {
    try {
      return parse(Files.readString(Path.of("/proc/self/cgroup")), Files.readString(Path.of("/proc/self/mountinfo")));
    } catch (IOException e) {
      return parse("", "");
    }
  }

  static CgroupMounts parse(String procCgroup, String mountinfo) {
    Map<String, Mount> v1Mounts = new HashMap<>();
    Mount v2 = null;
    for (String line : mountinfo.split("\n")) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] pre = line.substring(0, dash).split(" ");
      String[] post = line.substring(dash + 3).split(" ");
      if (pre.length < 5 || post.length < 1) {
        continue;
      }
      Mount mount = new Mount(Path.of(unescape(pre[4])), unescape(pre[3]));
      if (post[0].equals("cgroup2") && v2 == null) {
        v2 = mount;
      } else if (post[0].equals("cgroup") && post.length >= 3) {
        for (String option : post[2].split(",")) {
          v1Mounts.putIfAbsent(option, mount);
        }
      }
    }
    Map<String, String> v1Paths = new HashMap<>();
    String v2Path = null;
    for (String line : procCgroup.split("\n")) {
      String[] parts = line.split(":", 3);
      if (parts.length != 3) {
        continue;
      }
      if (parts[0].equals("0") && parts[1].isEmpty()) {
        v2Path = parts[2];
      } else {
        Arrays.stream(parts[1].split(",")).forEach(c -> v1Paths.put(c, parts[2]));
      }
    }
    return new CgroupMounts(v1Mounts, v1Paths, v2, v2Path);
  }

  /** The mount point of a v1 controller, e.g. {@code /sys/fs/cgroup/memory}. */
  Optional<Path> v1Mount(String controller) {
    return Optional.ofNullable(v1Mounts.get(controller)).map(Mount::mountPoint);
  }

  /** The directory of this JVM's own cgroup in a v1 controller's hierarchy. */
  Optional<Path> v1Own(String controller) {
    Mount mount = v1Mounts.get(controller);
    String path = v1Paths.get(controller);
    return mount == null || path == null ? Optional.empty() : Optional.of(join(mount, path));
  }

  Optional<Path> v2Mount() {
    return Optional.ofNullable(v2Mount).map(Mount::mountPoint);
  }

  Optional<Path> v2Own() {
    return v2Mount == null || v2Path == null ? Optional.empty() : Optional.of(join(v2Mount, v2Path));
  }

  /** Controllers with a v1 hierarchy, for log lines. */
  List<String> v1Controllers() {
    return v1Mounts.keySet().stream().sorted().toList();
  }

  // A bind-mounted hierarchy (as in a container) shows a sub-tree as its root; paths in
  // /proc/self/cgroup are absolute in the whole tree, so that prefix has to come off.
  private static Path join(Mount mount, String path) {
    String relative = path;
    if (!mount.root().equals("/") && (path.equals(mount.root()) || path.startsWith(mount.root() + "/"))) {
      relative = path.substring(mount.root().length());
    }
    relative = relative.replaceAll("^/+", "");
    return relative.isEmpty() ? mount.mountPoint() : mount.mountPoint().resolve(relative);
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }
}
