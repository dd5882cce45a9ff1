/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit-tree.h"
#include "probe-mount.h"

static void test_parsers(void)
{
	struct mount_table t = MOUNT_TABLE_INIT;
	char mi[] = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
		    "30 22 0:25 / /tmp rw,nosuid,nodev shared:5 master:2 - tmpfs tmpfs rw,size=100k\n"
		    "31 22 0:26 / /mnt/with\\040space rw - tmpfs tmpfs rw\n"
		    "32 30 0:27 / /tmp rw,nosuid,nodev,noexec - tmpfs tmpfs rw\n"
		    "garbage line\n";
	char fs[] = "# <file system> <mount point> <type> <options> <dump> <pass>\n"
		    "UUID=1 / ext4 errors=remount-ro 0 1\n"
		    "tmpfs /tmp/ tmpfs defaults,nodev,nosuid 0 0\n"
		    "/dev/sdb1 /home ext4 defaults\n"
		    "/dev/sdc1 /var/tmp ext4 noauto,nodev 0 2\n"
		    "/dev/sda2 none swap sw 0 0\n";
	const struct mount_entry *e;

	is_int(mount_parse_mountinfo(&t, mi, strlen(mi)), 0, "mountinfo parses");
	is_int(t.n, 4, "four mounts, garbage skipped");
	e = mount_table_find(&t, "/tmp");
	ok(e && strstr(e->options, "noexec"), "topmost /tmp mount wins");
	ok(mount_table_find(&t, "/mnt/with space") != NULL, "octal escape decoded");
	mount_table_done(&t);

	is_int(mount_parse_fstab(&t, fs, strlen(fs)), 0, "fstab parses");
	is_int(t.n, 3, "swap and noauto skipped");
	e = mount_table_find(&t, "/tmp");
	ok(e && mount_has_option(e->options, "nodev") && !mount_has_option(e->options, "noexec"),
	   "trailing slash stripped, options kept");
	mount_table_done(&t);

	ok(!mount_has_option("nodev,dev", "nodev"), "later 'dev' cancels nodev");
	ok(!mount_has_option("nodev,defaults", "nodev"), "'defaults' resets");
	ok(mount_has_option("rw,user", "noexec"), "'user' implies noexec");
	ok(!mount_has_option("user,exec", "noexec"), "'exec' after user");
}

static void test_probe(void)
{
	at_write("/etc/fstab", "UUID=1 / ext4 defaults 0 1\n"
			       "/dev/sdb1 /var/tmp ext4 defaults,nodev,nosuid,noexec 0 2\n"
			       "/dev/sdb2 /home ext4 defaults,nosuid 0 2\n");
	is_int(at_eval("probe = mount\nmountpoint = /var/tmp\nseparate = yes\noptions = nodev nosuid noexec"),
	       VERDICT_PASS, "fstab: separate with all options");
	is_int(at_eval("probe = mount\nmountpoint = /home\noptions = nodev"), VERDICT_FAIL, "fstab: missing nodev");
	ok(at_observed_has("missing nodev"), "observed names the missing option");
	is_int(at_eval("probe = mount\nmountpoint = /var/log\nseparate = yes"), VERDICT_FAIL, "not separate");
	is_int(at_eval("probe = mount\nmountpoint = /var/log/audit\noptions = noexec"), VERDICT_FAIL,
	       "options on a non-separate mount fail");
	is_str(at_observed(), "not a separate mount", "observed");

	is_int(at_eval("probe = mount\nmountpoint = /tmp\nseparate = yes"), VERDICT_FAIL, "no tmp.mount");
	at_write("/usr/lib/systemd/system/tmp.mount",
		 "[Mount]\nWhat=tmpfs\nWhere=/tmp\nType=tmpfs\nOptions=mode=1777,strictatime,nosuid,nodev,size=50%%\n");
	at_symlink("/etc/systemd/system/local-fs.target.wants/tmp.mount", "/usr/lib/systemd/system/tmp.mount");
	is_int(at_eval("probe = mount\nmountpoint = /tmp\nseparate = yes\noptions = nodev nosuid"), VERDICT_PASS,
	       "enabled tmp.mount counts as separate");
	ok(at_observed_has("tmp.mount"), "observed notes tmp.mount");
	is_int(at_eval("probe = mount\nmountpoint = /tmp\noptions = noexec"), VERDICT_FAIL, "tmp.mount lacks noexec");
	at_symlink("/etc/systemd/system/tmp.mount", "/dev/null");
	is_int(at_eval("probe = mount\nmountpoint = /tmp\nseparate = yes"), VERDICT_FAIL, "masked tmp.mount");
	is_int(at_eval("probe = mount\nmountpoint = /dev/shm\noptions = nodev nosuid"), VERDICT_PASS,
	       "/dev/shm: systemd's own mount");
	is_int(at_eval("probe = mount\nmountpoint = /dev/shm\noptions = noexec"), VERDICT_FAIL,
	       "/dev/shm without fstab line has no noexec");

	at_write("/proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
					 "30 22 0:25 / /dev/shm rw,nosuid,nodev,noexec - tmpfs tmpfs rw\n");
	is_int(at_eval_live("probe = mount\nmountpoint = /dev/shm\noptions = noexec"), VERDICT_PASS,
	       "live reads mountinfo");
	is_int(at_eval_live("probe = mount\nmountpoint = /var/tmp\nseparate = yes"), VERDICT_FAIL,
	       "live ignores fstab");
}

/* Which mounts the files walk enters (CIS walks df --local). */
static void test_local(void)
{
	char mi[] = "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		    "23 22 0:5 / /dev/shm rw - tmpfs tmpfs rw\n"
		    "24 22 0:6 / /proc rw - proc proc rw\n"
		    "25 22 0:7 / /srv/nfs rw - nfs4 srv:/export rw\n"
		    "26 22 0:8 / /srv/smb rw - cifs //srv/share rw\n"
		    "27 22 0:9 / /srv/x rw - xfs host:/weird rw\n"
		    "28 22 0:10 / /home/a/gvfs rw - fuse.sshfs alice@srv:/ rw\n"
		    "29 22 8:17 / /media/usb rw - fuseblk /dev/sdb1 rw\n"
		    "30 22 8:1 /var/lib/x /srv/bind rw - ext4 /dev/sda1 rw\n"
		    "31 22 0:11 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
	struct mount_table t = MOUNT_TABLE_INIT;
	const char *want = "1100000110";
	char got[16] = "";

	is_int(mount_parse_mountinfo(&t, mi, strlen(mi)), 0, "parses");
	for (size_t i = 0; i < t.n && i < 15; i++)
		got[i] = mount_is_local(&t.entries[i]) ? '1' : '0';
	is_str(got, want, "ext4, tmpfs, fuseblk and a bind mount are local; proc, nfs4, cifs, host:path, sshfs, cgroup2 not");
	is_str(t.n > 8 ? t.entries[8].fsroot : NULL, "/var/lib/x", "the mounted subtree is kept");
	ok(t.n > 8 && t.entries[8].dev_major == 8 && t.entries[8].dev_minor == 1, "and the device");
	mount_table_done(&t);
}

int main(void)
{
	struct check_set set = CHECK_SET_INIT;

	at_init();
	test_parsers();
	test_local();
	test_probe();
	ok(at_load(&set, "probe = mount\nmountpoint = /tmp\nseparate = no") == -EINVAL, "separate = no rejected");
	check_set_done(&set);
	ok(at_load(&set, "probe = mount\nmountpoint = /tmp") == -EINVAL, "no condition rejected");
	check_set_done(&set);
	return tap_done();
}
