#!/bin/sh
# The shipped filesystem, kernel module, sysctl, sshd, permission, logging
# and file-walk checks (conf/checks.d/10..60) against an image built here:
# a compliant image passes every one of them, then targeted breakages
# fail the checks they should and only those.
. "$VIGIL_SRCDIR/tests/integration/lib.sh"

require_root	# ownership (root:shadow, root:crontab) is part of the checks
command -v python3 >/dev/null || skip_all "python3 not installed"
IMG=$TMP/img
RULES=$VIGIL_SRCDIR/conf/checks.d
. "$VIGIL_SRCDIR/tests/integration/audit-lib.sh"

perm() {		# perm MODE UID:GID PATH...  (the image's ids, not the host's names)
	_m=$1 _o=$2; shift 2
	for _f in "$@"; do chmod "$_m" "$IMG$_f"; chown "$_o" "$IMG$_f"; done
}

# --- a compliant image -------------------------------------------------
mkdir -p "$IMG/tmp" "$IMG/var/tmp" "$IMG/root"
chmod 1777 "$IMG/tmp" "$IMG/var/tmp"
w /etc/passwd 'root:x:0:0:root:/root:/bin/bash' 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin' \
	'sshd:x:100:65534::/run/sshd:/usr/sbin/nologin'
w /etc/group 'root:x:0:' 'daemon:x:1:' 'shadow:x:42:' 'crontab:x:101:' 'nogroup:x:65534:'
w /etc/shadow 'root:!:19700:1:365:7:30::' 'daemon:*:19700:0:99999:7:::' 'sshd:*:19700:0:99999:7:::'
w /etc/gshadow 'root:*::' 'shadow:*::' 'crontab:*::'
for f in passwd group shadow gshadow; do cp "$IMG/etc/$f" "$IMG/etc/$f-"; done
perm 644 0:0 /etc/passwd /etc/passwd- /etc/group /etc/group-
perm 640 0:42 /etc/shadow /etc/shadow- /etc/gshadow /etc/gshadow-		# root:shadow
w /etc/shells '/bin/sh' '/bin/bash'
w /etc/security/opasswd ''
perm 600 0:0 /etc/security/opasswd
mkdir -p "$IMG/var/lib/dpkg"
printf 'Package: %s\nStatus: install ok installed\nVersion: 1\n\n' cron at > "$IMG/var/lib/dpkg/status"

# separate partitions with their options (CIS 1.1.2)
w /etc/fstab 'UUID=1 / ext4 errors=remount-ro 0 1' \
	'tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec 0 0' \
	'tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0' \
	'UUID=2 /home ext4 defaults,nodev,nosuid 0 2' \
	'UUID=3 /var ext4 defaults,nodev,nosuid 0 2' \
	'UUID=4 /var/tmp ext4 defaults,nodev,nosuid,noexec 0 2' \
	'UUID=5 /var/log ext4 defaults,nodev,nosuid,noexec 0 2' \
	'UUID=6 /var/log/audit ext4 defaults,nodev,nosuid,noexec 0 2'

# kernel modules: install /bin/false for each, as CIS 1.1.1 and 3.2 ask
for m in cramfs freevxfs hfs hfsplus jffs2 overlay squashfs udf usb-storage dccp tipc rds sctp; do
	w "/etc/modprobe.d/$m.conf" "install $m /bin/false" "blacklist $m"
done
w /lib/modules/6.1.0-18-amd64/modules.dep 'kernel/fs/udf/udf.ko.xz:' 'kernel/net/sctp/sctp.ko.xz:'

w /etc/sysctl.d/60-cis.conf \
	'net.ipv4.ip_forward = 0' 'net.ipv6.conf.all.forwarding = 0' \
	'net.ipv4.conf.all.send_redirects = 0' 'net.ipv4.conf.default.send_redirects = 0' \
	'net.ipv4.icmp_ignore_bogus_error_responses = 1' 'net.ipv4.icmp_echo_ignore_broadcasts = 1' \
	'net.ipv4.conf.all.accept_redirects = 0' 'net.ipv4.conf.default.accept_redirects = 0' \
	'net.ipv6.conf.all.accept_redirects = 0' 'net.ipv6.conf.default.accept_redirects = 0' \
	'net.ipv4.conf.all.secure_redirects = 0' 'net.ipv4.conf.default.secure_redirects = 0' \
	'net.ipv4.conf.all.rp_filter = 1' 'net.ipv4.conf.default.rp_filter = 1' \
	'net.ipv4.conf.all.accept_source_route = 0' 'net.ipv4.conf.default.accept_source_route = 0' \
	'net.ipv6.conf.all.accept_source_route = 0' 'net.ipv6.conf.default.accept_source_route = 0' \
	'net.ipv4.conf.all.log_martians = 1' 'net.ipv4.conf.default.log_martians = 1' \
	'net.ipv4.tcp_syncookies = 1' 'net.ipv6.conf.all.accept_ra = 0' 'net.ipv6.conf.default.accept_ra = 0' \
	'kernel.randomize_va_space = 2' 'kernel.yama.ptrace_scope = 1' 'fs.suid_dumpable = 0' \
	'fs.protected_hardlinks = 1' 'fs.protected_symlinks = 1' 'kernel.dmesg_restrict = 1'

# sshd (CIS 5.1), with Debian's Include of sshd_config.d
w /etc/ssh/sshd_config 'Include /etc/ssh/sshd_config.d/*.conf' 'UsePAM yes' 'Subsystem sftp /usr/lib/openssh/sftp-server'
w /etc/ssh/sshd_config.d/50-cis.conf 'AllowGroups ssh-users' 'Banner /etc/issue.net' \
	'Ciphers aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr' \
	'ClientAliveInterval 15' 'ClientAliveCountMax 3' 'DisableForwarding yes' 'GSSAPIAuthentication no' \
	'HostbasedAuthentication no' 'IgnoreRhosts yes' \
	'KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,diffie-hellman-group16-sha512' \
	'LoginGraceTime 60' 'LogLevel VERBOSE' 'MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com' \
	'MaxAuthTries 4' 'MaxSessions 10' 'MaxStartups 10:30:60' 'PermitEmptyPasswords no' 'PermitRootLogin no' \
	'PermitUserEnvironment no' 'X11Forwarding no' 'AllowTcpForwarding no'
perm 600 0:0 /etc/ssh/sshd_config
for k in rsa ecdsa ed25519; do
	w "/etc/ssh/ssh_host_${k}_key" 'private'
	w "/etc/ssh/ssh_host_${k}_key.pub" 'public'
	perm 600 0:0 "/etc/ssh/ssh_host_${k}_key"
	perm 644 0:0 "/etc/ssh/ssh_host_${k}_key.pub"
done

# bootloader, cron and at, banners (CIS 1.4, 2.4, 1.7)
w /boot/grub/grub.cfg 'set superusers="admin"' 'password_pbkdf2 admin grub.pbkdf2.sha512.10000.x'
perm 600 0:0 /boot/grub/grub.cfg
w /etc/crontab 'SHELL=/bin/sh'
perm 600 0:0 /etc/crontab
for d in cron.hourly cron.daily cron.weekly cron.monthly cron.d; do
	mkdir -p "$IMG/etc/$d"
	perm 700 0:0 "/etc/$d"
done
w /etc/cron.allow 'root'
perm 640 0:101 /etc/cron.allow		# root:crontab
w /etc/at.allow 'root'
perm 640 0:1 /etc/at.allow		# root:daemon
w /etc/motd 'Authorized uses only.'
w /etc/issue 'Authorized uses only. All activity may be monitored and reported.'
w /etc/issue.net 'Authorized uses only. All activity may be monitored and reported.'

# logging and auditing (CIS 6.2, 6.3), AppArmor (1.3)
w /etc/systemd/journald.conf '[Journal]' '#Storage=auto'
w /etc/systemd/journald.conf.d/60-cis.conf '[Journal]' 'Storage=persistent' 'Compress=yes'
w /etc/rsyslog.conf '$FileCreateMode 0640' '$IncludeConfig /etc/rsyslog.d/*.conf' '*.* /var/log/syslog'
w /etc/audit/auditd.conf 'max_log_file = 32' 'max_log_file_action = keep_logs' 'disk_full_action = single' \
	'admin_space_left_action = single'
perm 640 0:0 /etc/audit/auditd.conf
w /etc/audit/audit.rules '-D' \
	'-w /etc/sudoers -p wa -k scope' '-w /var/log/sudo.log -p wa -k sudo_log_file' \
	'-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change' \
	'-a always,exit -F arch=b64 -S sethostname,setdomainname -k system-locale' \
	'-w /etc/passwd -p wa -k identity' '-w /etc/shadow -p wa -k identity' '-w /etc/group -p wa -k identity' \
	'-w /etc/gshadow -p wa -k identity' '-w /var/run/utmp -p wa -k session' \
	'-w /var/log/lastlog -p wa -k logins' '-w /etc/apparmor/ -p wa -k MAC-policy' \
	'-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k kernel_modules' '-e 2'
mkdir -p "$IMG/var/log/audit"
perm 750 0:0 /var/log/audit
for t in auditctl augenrules auditd; do
	w "/sbin/$t" ''
	perm 755 0:0 "/sbin/$t"
done
w /etc/default/grub 'GRUB_DEFAULT=0' 'GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`' \
	'GRUB_CMDLINE_LINUX_DEFAULT="quiet"' 'GRUB_CMDLINE_LINUX=""'
w /etc/default/grub.d/50-cis.cfg \
	'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX apparmor=1 security=apparmor audit=1 audit_backlog_limit=8192"'
w /etc/apparmor.d/usr.sbin.cupsd '/usr/sbin/cupsd {' '}'
w /etc/apparmor.d/usr.bin.man 'profile man /usr/bin/man flags=(complain) {' '}'

AUDIT_FILES='[1-6][0-9]-'
AUDIT_OK='pass'

v=$(verdicts)
is "$(cat "$TMP/err")" "" "no diagnostics on stderr"
n=$(printf '%s\n' "$v" | wc -l)
ok $([ "$n" -ge 150 ] && echo 0 || echo 1) "at least 150 enabled checks in 10..60 ($n)"
is "$(printf '%s\n' "$v" | grep -v ' pass' || true)" "" "the compliant image passes every check of 10..60"


# --- breakages ---------------------------------------------------------
cp "$IMG/etc/fstab" "$TMP/fstab"
sed -i -e '/ \/home /d' -e 's|/var/tmp ext4 defaults,nodev,nosuid,noexec|/var/tmp ext4 defaults,nodev,nosuid|' \
	"$IMG/etc/fstab"
expect_fail fs.home.separate fs.home.nodev fs.home.nosuid fs.var-tmp.noexec
cp "$TMP/fstab" "$IMG/etc/fstab"

w /etc/modprobe.d/udf.conf 'blacklist udf'
rm "$IMG/etc/modprobe.d/sctp.conf"
w /etc/modprobe.d/overlay.conf 'install overlay /bin/true'
expect_fail kmod.udf kmod.sctp
w /etc/modprobe.d/udf.conf 'install udf /bin/false' 'blacklist udf'
w /etc/modprobe.d/sctp.conf 'install sctp /bin/false'

w /usr/lib/sysctl.d/99-vendor.conf 'net.ipv4.ip_forward = 1' 'kernel.dmesg_restrict = 0'
expect_fail sysctl.ip-forward sysctl.dmesg-restrict	# a later file name wins, whatever its directory
w /etc/sysctl.d/99-vendor.conf 'kernel.dmesg_restrict = 1'
expect_fail					# the same name in /etc hides the vendor file
rm "$IMG/etc/sysctl.d/99-vendor.conf" "$IMG/usr/lib/sysctl.d/99-vendor.conf"

w /etc/ssh/sshd_config.d/10-early.conf 'MaxAuthTries 6' 'Ciphers +aes128-cbc'
w /etc/ssh/sshd_config.d/90-late.conf 'Match all' 'PermitRootLogin yes'
chmod 644 "$IMG/etc/ssh/ssh_host_ed25519_key"
expect_fail ssh.max-auth-tries ssh.ciphers ssh.permit-root-login ssh.hostkey-private.ed25519
rm "$IMG/etc/ssh/sshd_config.d/10-early.conf" "$IMG/etc/ssh/sshd_config.d/90-late.conf"
chmod 600 "$IMG/etc/ssh/ssh_host_ed25519_key"

chmod 644 "$IMG/etc/shadow"
chmod 755 "$IMG/etc/cron.d"
w /etc/issue 'Debian GNU/Linux 12 \n \l'
rm "$IMG/etc/at.allow"
w /boot/grub/grub.cfg 'menuentry "Debian" {' '}'
expect_fail perm.shadow cron.d banner.issue.content cron.at-allow boot.grub-password
chmod 640 "$IMG/etc/shadow"
chmod 700 "$IMG/etc/cron.d"
w /etc/issue 'Authorized uses only. All activity may be monitored and reported.'
w /etc/at.allow 'root'
perm 640 0:1 /etc/at.allow
w /boot/grub/grub.cfg 'set superusers="admin"' 'password_pbkdf2 admin grub.pbkdf2.sha512.10000.x'

w /etc/systemd/journald.conf.d/70-local.conf '[Journal]' 'Storage=volatile' 'ForwardToSyslog=yes'
w /etc/default/grub.d/60-debug.cfg 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT audit=0"'
w /etc/rsyslog.d/50-app.conf '$FileCreateMode 0644'
chmod 755 "$IMG/var/log/audit"
sed -i '/^-e 2$/d' "$IMG/etc/audit/audit.rules"
lnk /etc/apparmor.d/disable/usr.sbin.cupsd ../usr.sbin.cupsd
lnk /etc/apparmor.d/disable/usr.bin.man ../usr.bin.man
expect_fail journald.storage journald.no-forward-syslog boot.audit rsyslog.file-create-mode auditd.log-dir-perms \
	audit-rules.immutable apparmor.profiles
rm -r "$IMG/etc/systemd/journald.conf.d/70-local.conf" "$IMG/etc/default/grub.d/60-debug.cfg" \
	"$IMG/etc/rsyslog.d" "$IMG/etc/apparmor.d/disable"
chmod 750 "$IMG/var/log/audit"
echo '-e 2' >> "$IMG/etc/audit/audit.rules"

w /srv/shared/notes ''
chmod 666 "$IMG/srv/shared/notes"
w /srv/orphan ''
chown 4242:4242 "$IMG/srv/orphan"
expect_fail files.world-writable files.unowned
rm -r "$IMG/srv"
expect_fail

done_testing
