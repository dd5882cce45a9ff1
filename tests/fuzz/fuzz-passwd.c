/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the passwd, shadow and group parsers (the same input fed
 * to each) and the login.defs parser. */
#include <stdint.h>

#include "accounts-db.h"
#include "login-defs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accounts_db db = {};
	struct login_defs ld;
	struct diag d = {};
	const char *s = (const char *)data;

	(void)accounts_db_parse_passwd(&db, s, size, "passwd", &d);
	(void)accounts_db_parse_shadow(&db, s, size, "shadow", &d);
	(void)accounts_db_parse_group(&db, s, size, "group", &d);
	(void)accounts_db_user(&db, "root");
	(void)accounts_db_group_by_gid(&db, 0);
	accounts_db_free(&db);
	if (login_defs_parse(s, size, &ld) == 0) {
		(void)login_defs_get(&ld, "UID_MIN");
		login_defs_free(&ld);
	}
	return 0;
}
