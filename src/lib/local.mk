# libvigil: everything the CLI and the daemon share.
noinst_LIBRARIES += libvigil.a
libvigil_a_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
libvigil_a_SOURCES = \
	src/lib/util.c src/lib/util.h \
	src/lib/diag.c src/lib/diag.h \
	src/lib/log.c src/lib/log.h \
	src/lib/strbuf.c src/lib/strbuf.h \
	src/lib/escape.c src/lib/escape.h \
	src/lib/json.c src/lib/json.h \
	src/lib/fileio.c src/lib/fileio.h \
	src/lib/rootfs.c src/lib/rootfs.h \
	src/lib/record.c src/lib/record.h \
	src/lib/selection.c src/lib/selection.h \
	src/lib/severity.h
libvigil_a_SOURCES += \
	src/lib/conf.c src/lib/conf.h \
	src/lib/change.c src/lib/change.h
nodist_libvigil_a_SOURCES = src/lib/default-conf.c
