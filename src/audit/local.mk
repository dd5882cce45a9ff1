# The audit engine, the rule loader and the probes of the "audit" area
# (probes.mk lists the other probes).
libvigil_a_SOURCES += \
	src/audit/probe.h src/audit/probes.h \
	src/audit/check.c src/audit/check.h \
	src/audit/expect.c src/audit/expect.h \
	src/audit/rules.c src/audit/rules.h \
	src/audit/engine.c src/audit/engine.h \
	src/audit/confdirs.c src/audit/confdirs.h \
	src/audit/idmap.c src/audit/idmap.h \
	src/audit/sshd-config.c src/audit/sshd-config.h \
	src/audit/probe-sysctl.c \
	src/audit/probe-sshd.c \
	src/audit/probe-file.c \
	src/audit/probe-files.c \
	src/audit/probe-mount.c src/audit/probe-mount.h \
	src/audit/probe-modprobe.c
