# Shipped configuration.  conf/vigil.conf is also compiled into libvigil as
# the built-in default (src/lib/default-conf.c, generated).
vigilconfdir = $(sysconfdir)/vigil
dist_vigilconf_DATA = conf/vigil.conf

src/lib/default-conf.c: $(top_srcdir)/conf/vigil.conf
	$(AM_V_GEN)mkdir -p src/lib && { \
	  echo '/* Generated from conf/vigil.conf by make; do not edit. */'; \
	  echo 'extern const char vigil_default_config[];'; \
	  echo 'const char vigil_default_config[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $(top_srcdir)/conf/vigil.conf; \
	  echo ';'; } > $@.tmp && mv $@.tmp $@
BUILT_SOURCES = src/lib/default-conf.c
CLEANFILES += src/lib/default-conf.c
