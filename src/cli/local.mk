# vigil, the command-line front end: one file per subcommand.
bin_PROGRAMS += vigil
vigil_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
vigil_SOURCES = \
	src/cli/main.c src/cli/cli.h \
	src/cli/common.c src/cli/common.h \
	src/cli/init.c \
	src/cli/check.c \
	src/cli/update.c \
	src/cli/accept.c \
	src/cli/db.c \
	src/cli/audit.c
vigil_SOURCES += src/cli/status.c src/daemon/state.c src/daemon/state.h
vigil_LDADD = libvigil.a $(VIGIL_LIBS)
