# The audit engine, the rule loader and the probes of the "audit" area
# (probes.mk lists the other probes).
libvigil_a_SOURCES += \
	src/audit/probe.h src/audit/probes.h \
	src/audit/check.c src/audit/check.h \
	src/audit/expect.c src/audit/expect.h
