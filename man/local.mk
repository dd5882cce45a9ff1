dist_man_MANS += man/vigil-checks.5
