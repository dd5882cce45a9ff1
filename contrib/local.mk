# systemd unit of vigild and the journald catalog of its MESSAGE_IDs.
systemdunitdir = $(prefix)/lib/systemd/system
dist_systemdunit_DATA = contrib/systemd/vigild.service
catalogdir = $(prefix)/lib/systemd/catalog
dist_catalog_DATA = contrib/vigil.catalog
