package main

import "testing"

func TestResolveMemCgroup(t *testing.T) {
	hybridMounts := `35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`
	v2Mounts := `30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate`
	dockerV1 := `40 31 0:32 /kubepods/pod1/abc /sys/fs/cgroup/memory ro,relatime - cgroup cgroup rw,memory`
	cases := []struct {
		name, procCg, mounts string
		version              int
		dir                  string
	}{
		{"hybrid-v1-memory", "4:memory:/process_api/x\n0::/\n", hybridMounts, 1, "/sys/fs/cgroup/memory/process_api/x"},
		{"v1-root-unavailable", "4:memory:/\n", hybridMounts, 0, ""},
		{"v1-container-mount-root", "9:memory:/kubepods/pod1/abc\n", dockerV1, 1, "/sys/fs/cgroup/memory"},
		{"v1-combined-controllers", "5:memory,hugetlb:/a/b\n", "", 1, "/sys/fs/cgroup/memory/a/b"},
		{"v2", "0::/kubepods.slice/pod.slice/cri.scope\n", v2Mounts, 2, "/sys/fs/cgroup/kubepods.slice/pod.slice/cri.scope"},
		{"v2-namespaced-root", "0::/\n", v2Mounts, 2, "/sys/fs/cgroup"},
		{"nothing", "", "", 0, ""},
	}
	for _, tc := range cases {
		cg := resolveMemCgroup(tc.procCg, tc.mounts)
		if tc.version == 0 {
			if cg != nil {
				t.Errorf("%s: got %+v, want none", tc.name, cg)
			}
			continue
		}
		if cg == nil || cg.version != tc.version || cg.dir != tc.dir {
			t.Errorf("%s: got %+v, want v%d %s", tc.name, cg, tc.version, tc.dir)
		}
	}
}

func TestParseKeyedCounter(t *testing.T) {
	v1 := []byte("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n")
	v2 := []byte("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n")
	if n, ok := parseKeyedCounter(v1, "oom_kill"); !ok || n != 3 {
		t.Errorf("v1: %d %v", n, ok)
	}
	if n, ok := parseKeyedCounter(v2, "oom_kill"); !ok || n != 2 {
		t.Errorf("v2: %d %v", n, ok)
	}
	if _, ok := parseKeyedCounter([]byte("under_oom 0\n"), "oom_kill"); ok {
		t.Error("found a missing key")
	}
}

func TestUnescapeMount(t *testing.T) {
	if got := unescapeMount(`/a\040b`); got != "/a b" {
		t.Fatal(got)
	}
}
