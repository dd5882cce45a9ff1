#!/bin/sh
# The shipped service, package, account, PAM, login.defs, sudo and logging
# checks (conf/checks.d/70..90) against an image built here: a compliant
# image passes every one of them, then targeted breakages fail the
# checks they should and only those.
. "$VIGIL_SRCDIR/tests/integration/lib.sh"

require_root	# root_path needs root-owned directories in the image
command -v python3 >/dev/null || skip_all "python3 not installed"
IMG=$TMP/img
RULES=$VIGIL_SRCDIR/conf/checks.d
. "$VIGIL_SRCDIR/tests/integration/audit-lib.sh"

pkgs() {		# pkgs NAME...  -> dpkg status stanzas, all installed
	for p in "$@"; do
		printf 'Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n' "$p"
		printf 'Description: %s\n test package\n\n' "$p"
	done
}

# --- a compliant image -------------------------------------------------
mkdir -p "$IMG/var/lib/dpkg"
{ pkgs apparmor apparmor-utils aide aide-common libpam-modules libpam-pwquality sudo auditd \
	audispd-plugins systemd-journal-remote systemd-timesyncd cron
  printf 'Package: telnet\nStatus: deinstall ok config-files\nVersion: 0.17-1\n\n'; } > "$IMG/var/lib/dpkg/status"

U=/usr/lib/systemd/system
for u in cron.service systemd-timesyncd.service debug-shell.service auditd.service avahi-daemon.service \
	avahi-daemon.socket systemd-journald.service systemd-journald.socket ctrl-alt-del.target \
	systemd-journal-remote.service systemd-journal-remote.socket chrony.service; do
	w "$U/$u" '[Unit]'
done
lnk /lib usr/lib
lnk /etc/systemd/system/multi-user.target.wants/cron.service $U/cron.service
lnk /etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service $U/systemd-timesyncd.service
lnk /etc/systemd/system/multi-user.target.wants/auditd.service $U/auditd.service
lnk $U/sysinit.target.wants/systemd-journald.service ../systemd-journald.service
lnk $U/sockets.target.wants/systemd-journald.socket ../systemd-journald.socket
lnk /etc/systemd/system/ctrl-alt-del.target /dev/null
lnk /etc/systemd/system/avahi-daemon.service /dev/null
lnk /etc/systemd/system/avahi-daemon.socket /dev/null

w /etc/passwd 'root:x:0:0:root:/root:/bin/bash' 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin' \
	'sync:x:4:65534:sync:/bin:/bin/sync' 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' \
	'alice:x:1000:1000:Alice:/home/alice:/bin/bash'
w /etc/shadow 'root:!:19700:1:365:7:30::' 'daemon:*:19700:0:99999:7:::' 'sync:*:19700:0:99999:7:::' \
	'nobody:*:19700:0:99999:7:::' 'alice:$y$j9T$abc$def:19700:1:365:7:30::'
w /etc/group 'root:x:0:' 'daemon:x:1:' 'adm:x:4:' 'shadow:x:42:' 'utmp:x:43:' 'nogroup:x:65534:' 'alice:x:1000:' \
	'sugroup:x:1001:'
w /etc/login.defs 'PASS_MAX_DAYS 99999' 'PASS_MAX_DAYS 365' 'PASS_MIN_DAYS 1' 'PASS_WARN_AGE 7' \
	'ENCRYPT_METHOD YESCRYPT' 'UMASK 027' 'UID_MIN 1000' 'ENV_SUPATH PATH=/usr/sbin:/usr/bin'
mkdir -p "$IMG/usr/sbin" "$IMG/usr/bin"
chmod 755 "$IMG/usr/sbin" "$IMG/usr/bin"
w /etc/default/useradd 'SHELL=/bin/sh' 'INACTIVE=30'
w /etc/shells '# /etc/shells: valid login shells' '/bin/sh' '/bin/bash'

w /etc/pam.d/common-auth \
	'auth required pam_faillock.so preauth' \
	'auth [success=1 default=ignore] pam_unix.so' \
	'auth [default=die] pam_faillock.so authfail' \
	'auth requisite pam_deny.so' 'auth required pam_permit.so'
w /etc/pam.d/common-account 'account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so' \
	'account requisite pam_deny.so' 'account required pam_faillock.so'
w /etc/pam.d/common-password \
	'password requisite pam_pwquality.so retry=3' \
	'password requisite pam_pwhistory.so remember=24 enforce_for_root try_first_pass use_authtok' \
	'password [success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt' \
	'password requisite pam_deny.so'
w /etc/pam.d/su 'auth sufficient pam_rootok.so' 'auth required pam_wheel.so use_uid group=sugroup'
w /etc/security/pwquality.conf 'difok = 2' 'minlen = 14' 'minclass = 4' 'maxrepeat = 3' 'maxsequence = 3' \
	'enforce_for_root'
w /etc/security/faillock.conf 'deny = 5' 'unlock_time = 900' 'even_deny_root' 'root_unlock_time = 60'

w /etc/sudoers 'Defaults env_reset' 'root ALL=(ALL:ALL) ALL' '%sudo ALL=(ALL:ALL) ALL' '@includedir /etc/sudoers.d'
w /etc/sudoers.d/50-cis 'Defaults use_pty' 'Defaults logfile="/var/log/sudo.log", timestamp_timeout=15'

w /etc/systemd/journald.conf '[Journal]' 'Compress=yes' 'Storage=persistent' 'SystemMaxUse=1G'
w /etc/systemd/timesyncd.conf '[Time]' '#NTP='
w /etc/systemd/timesyncd.conf.d/50-site.conf '[Time]' 'NTP=ntp1.example.org ntp2.example.org'

# root and alice: homes, dot files, umask and shell timeout (CIS 5.4.2.6, 5.4.3.2, 7.2.9, 7.2.10)
mkdir -p "$IMG/root" "$IMG/home/alice"
chmod 700 "$IMG/root"
chmod 750 "$IMG/home/alice"
w /root/.bashrc 'umask 027'
w /root/.bash_profile '. ~/.bashrc'
w /home/alice/.bashrc 'PS1="$ "'
w /home/alice/.profile '. ~/.bashrc'
chown -R 1000:1000 "$IMG/home/alice"
w /etc/profile 'PATH=/usr/local/bin:/usr/bin:/bin' 'if [ -d /etc/profile.d ]; then :; fi'
w /etc/bash.bashrc '[ -z "$PS1" ] && return'
w /etc/profile.d/50-tmout.sh 'TMOUT=900' 'readonly TMOUT' 'export TMOUT'

# log files as CIS 6.2.2.1 wants them
w /var/log/syslog ''
w /var/log/wtmp ''
chmod 640 "$IMG/var/log/syslog"
chmod 664 "$IMG/var/log/wtmp"
chown 0:43 "$IMG/var/log/wtmp"
w /etc/audit/auditd.conf 'max_log_file = 32' 'max_log_file_action = keep_logs' 'disk_full_action = single' \
	'disk_error_action = single' 'space_left_action = email' 'admin_space_left_action = single'
w /etc/audit/audit.rules \
	'-a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve -k user_emulation' \
	'-w /etc/localtime -p wa -k time-change' \
	'-w /etc/hosts -p wa -k system-locale' '-w /etc/issue -p wa -k system-locale' \
	'-a always,exit -F arch=b64 -S creat,open,openat,truncate,ftruncate -F exit=-EACCES -F auid>=1000 -F auid!=unset -k access' \
	'-a always,exit -F arch=b64 -S creat,open,openat,truncate,ftruncate -F exit=-EPERM -F auid>=1000 -F auid!=unset -k access' \
	'-w /etc/security/opasswd -p wa -k identity' '-w /etc/nsswitch.conf -p wa -k identity' \
	'-w /etc/pam.d -p wa -k identity' \
	'-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat -F auid>=1000 -F auid!=unset -k perm_mod' \
	'-a always,exit -F arch=b64 -S chown,fchown,lchown,fchownat -F auid>=1000 -F auid!=unset -k perm_mod' \
	'-a always,exit -F arch=b64 -S setxattr,lsetxattr,fsetxattr,removexattr -F auid>=1000 -F auid!=unset -k perm_mod' \
	'-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k mounts' \
	'-w /var/log/wtmp -p wa -k session' '-w /var/log/btmp -p wa -k session' \
	'-w /var/run/faillock -p wa -k logins' \
	'-a always,exit -F arch=b64 -S rename,unlink,unlinkat,renameat -F auid>=1000 -F auid!=unset -k delete' \
	'-a always,exit -F path=/usr/bin/chcon -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng' \
	'-a always,exit -F path=/usr/bin/setfacl -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng' \
	'-a always,exit -F path=/usr/bin/chacl -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng' \
	'-a always,exit -F path=/usr/sbin/usermod -F perm=x -F auid>=1000 -F auid!=unset -k usermod' \
	'-a always,exit -F path=/usr/bin/kmod -F perm=x -F auid>=1000 -F auid!=unset -k kernel_modules'

# audit.rules as augenrules generates it from rules.d (CIS 6.3.3.21)
mkdir -p "$IMG/etc/audit/rules.d"
grep -v '^#' "$IMG/etc/audit/audit.rules" > "$IMG/etc/audit/rules.d/50-cis.rules"

AUDIT_FILES='(7[0-9]|8[0-9]|9[0-9])-'
AUDIT_OK='pass not_applicable'

v=$(verdicts)
is "$(cat "$TMP/err")" "" "no diagnostics on stderr"
n=$(printf '%s\n' "$v" | wc -l)
ok $([ "$n" -ge 100 ] && echo 0 || echo 1) "at least 100 enabled checks in 70..90 ($n)"
bad=$(printf '%s\n' "$v" | grep -v ' pass' |
	grep -v -E '^[a-z.-]+-active not_applicable|^auditd\.active not_applicable|^time\.chrony-[a-z]+ not_applicable' ||
	true)
is "$bad" "" "the compliant image passes every check of 70..90 (running state, chrony: not_applicable)"
na=$(printf '%s\n' "$v" | grep -c ' not_applicable')
is "$na" 7 "the four running-state checks offline and the three chrony ones (timesyncd in use) are not_applicable"



# --- breakages ---------------------------------------------------------
lnk /etc/systemd/system/multi-user.target.wants/rsync.service $U/rsync.service
w $U/rsync.service '[Unit]'
rm "$IMG/etc/systemd/system/avahi-daemon.socket"
lnk /etc/systemd/system/sockets.target.wants/avahi-daemon.socket $U/avahi-daemon.socket
rm "$IMG/etc/systemd/system/multi-user.target.wants/cron.service"
expect_fail svc.rsync svc.avahi svc.cron-enabled
rm "$IMG/etc/systemd/system/multi-user.target.wants/rsync.service" \
	"$IMG/etc/systemd/system/sockets.target.wants/avahi-daemon.socket"
lnk /etc/systemd/system/avahi-daemon.socket /dev/null
lnk /etc/systemd/system/multi-user.target.wants/cron.service $U/cron.service

cp "$IMG/var/lib/dpkg/status" "$TMP/status"
pkgs telnet prelink >> "$IMG/var/lib/dpkg/status"
expect_fail pkg.telnet pkg.prelink
cp "$TMP/status" "$IMG/var/lib/dpkg/status"

cp "$IMG/etc/passwd" "$TMP/passwd"
printf '%s\n' 'toor:x:0:0::/root:/bin/bash' 'www:x:33:33::/var/www:/bin/sh' >> "$IMG/etc/passwd"
# (www, with /bin/sh, is interactive and has no /var/www)
expect_fail acct.uid0-only-root acct.unique-uids acct.system-nologin acct.groups-exist acct.gid0-only-root \
	acct.home-dirs
cp "$TMP/passwd" "$IMG/etc/passwd"

w /etc/security/pwquality.conf.d/99-weak.conf 'minlen = 20'
w /etc/security/pwquality.conf 'difok = 2' 'minlen = 8' 'minclass = 4' 'maxrepeat = 3' 'maxsequence = 3' \
	'enforce_for_root' 'dictcheck = 0'
expect_fail pam.pwquality-minlen pam.pwquality-dictcheck

w /etc/security/pwquality.conf 'difok = 2' 'minlen = 14' 'minclass = 4' 'maxrepeat = 3' 'maxsequence = 3' \
	'enforce_for_root'
w /etc/pam.d/common-auth 'auth [success=1 default=ignore] pam_unix.so nullok' 'auth requisite pam_deny.so'
expect_fail pam.faillock-auth pam.faillock-deny pam.faillock-unlock pam.faillock-root pam.unix-no-nullok-auth

w /etc/pam.d/common-auth \
	'auth required pam_faillock.so preauth' \
	'auth [success=1 default=ignore] pam_unix.so' \
	'auth [default=die] pam_faillock.so authfail' \
	'auth requisite pam_deny.so' 'auth required pam_permit.so'
w /etc/sudoers.d/60-local 'Defaults:alice !use_pty' 'Defaults !authenticate'
w /etc/sudoers.d/70-local.bak 'Defaults !use_pty'
w /etc/login.defs 'PASS_MAX_DAYS 365' 'PASS_MAX_DAYS 99999' 'PASS_MIN_DAYS 1' 'PASS_WARN_AGE 7' \
	'ENCRYPT_METHOD MD5' 'UMASK 022' 'ENV_SUPATH PATH=/usr/sbin:/usr/bin:.'
expect_fail sudo.authenticate defs.pass-max-days defs.encrypt-method defs.umask acct.root-path
rm "$IMG/etc/sudoers.d/60-local" "$IMG/etc/sudoers.d/70-local.bak"
w /etc/login.defs 'PASS_MAX_DAYS 99999' 'PASS_MAX_DAYS 365' 'PASS_MIN_DAYS 1' 'PASS_WARN_AGE 7' \
	'ENCRYPT_METHOD YESCRYPT' 'UMASK 027' 'UID_MIN 1000' 'ENV_SUPATH PATH=/usr/sbin:/usr/bin'
expect_fail

# time: a second daemon enabled, timesyncd without a site server
lnk /etc/systemd/system/multi-user.target.wants/chrony.service $U/chrony.service
w /etc/systemd/timesyncd.conf.d/60-reset.conf '[Time]' 'NTP='
expect_fail time.single-daemon time.timesyncd-server
rm "$IMG/etc/systemd/system/multi-user.target.wants/chrony.service" "$IMG/etc/systemd/timesyncd.conf.d/60-reset.conf"

# homes and shells: an open home, a writable dot file, a weak root umask, a long timeout, no root password
chmod 755 "$IMG/home/alice"
chmod 666 "$IMG/home/alice/.profile"
w /root/.bash_profile 'umask 022'
w /etc/profile.d/60-long.sh 'TMOUT=3600'
cp "$IMG/etc/shadow" "$TMP/shadow"
sed -i 's/^root:!:/root::/' "$IMG/etc/shadow"
expect_fail acct.home-dirs acct.dot-files acct.root-umask.profile acct.shell-timeout acct.root-access \
	acct.no-empty-password
chmod 750 "$IMG/home/alice"
chmod 644 "$IMG/home/alice/.profile"
w /root/.bash_profile '. ~/.bashrc'
rm "$IMG/etc/profile.d/60-long.sh"
cp "$TMP/shadow" "$IMG/etc/shadow"

# logs and audit: a world-readable log, a setuid program without a rule, rules.d ahead of audit.rules
chmod 644 "$IMG/var/log/syslog"
w /usr/bin/newgrp ''
chmod 4755 "$IMG/usr/bin/newgrp"
w /etc/audit/rules.d/60-new.rules '-w /etc/sudoers.d -p wa -k scope'
expect_fail log.file-access audit-rules.privileged audit-rules.loaded
chmod 640 "$IMG/var/log/syslog"
printf '%s\n' '-a always,exit -F path=/usr/bin/newgrp -F perm=x -F auid>=1000 -F auid!=unset -k privileged' \
	>> "$IMG/etc/audit/rules.d/50-cis.rules"
{ grep -hv '^#' "$IMG/etc/audit/rules.d/50-cis.rules" "$IMG/etc/audit/rules.d/60-new.rules"; } > "$IMG/etc/audit/audit.rules"
expect_fail

done_testing
