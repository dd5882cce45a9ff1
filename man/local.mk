dist_man_MANS += man/vigil-checks.5
dist_man_MANS += man/vigil.8 man/vigil.conf.5
