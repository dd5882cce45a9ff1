# vigil, the command-line front end: one file per subcommand.
bin_PROGRAMS += vigil
vigil_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
vigil_SOURCES = \
	src/cli/main.c src/cli/cli.h
vigil_LDADD = libvigil.a $(VIGIL_LIBS)
