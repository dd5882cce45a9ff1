/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sshd_config parser (keyword splitting, OpenSSH quoting, Match
 * state) and the mount table parsers on arbitrary input. */
#include <stdint.h>

#include "probe-mount.h"
#include "sshd-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sshd_config *cfg;
	struct mount_table t = MOUNT_TABLE_INIT;
	char *copy;
	long long secs;

	if (size > 256 * 1024)
		return 0;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return 0;
	(void)sshd_config_parse(cfg, NULL, "fuzz", (const char *)data, size, 0, SSHD_SCOPE_GLOBAL);
	for (size_t i = 0; i < cfg->n; i++)
		(void)sshd_convtime(cfg->entries[i].value, &secs);
	(void)sshd_config_first(cfg, "permitrootlogin");
	sshd_config_free(cfg);

	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	(void)mount_parse_mountinfo(&t, copy, size);
	mount_table_done(&t);
	memcpy(copy, data, size);
	copy[size] = '\0';
	(void)mount_parse_fstab(&t, copy, size);
	mount_table_done(&t);
	free(copy);
	return 0;
}
