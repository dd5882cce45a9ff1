/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Selections: normalisation, rule lookup, excludes and serialisation. */
#include "record.h"
#include "selection.h"
#include "tap.h"

int main(void)
{
	struct selection sel = { .one_filesystem = true }, back = { 0 };
	struct strbuf sb = STRBUF_INIT;
	const struct watch_rule *r;
	char *norm;
	uint8_t h1[32], h2[32];

	is_int(path_normalize("//usr/./bin//", &norm), 0, "normalise");
	is_str(norm, "/usr/bin", "normalised path");
	free(norm);
	is_int(path_normalize("/", &norm), 0, "root normalises");
	is_str(norm, "/", "root stays /");
	free(norm);
	is_int(path_normalize("usr", &norm), -EINVAL, "relative rejected");
	is_int(path_normalize("/a/../b", &norm), -EINVAL, "dot-dot rejected");

	is_int(selection_add(&sel, "/usr", ATTR_ALL, true), 0, "add /usr");
	is_int(selection_add(&sel, "/usr/bin", ATTR_SHA256, true), 0, "add /usr/bin");
	is_int(selection_add(&sel, "/etc/passwd", ATTR_MODE, false), 0, "add /etc/passwd");
	is_int(selection_add_exclude(&sel, 0, "*.pyc"), 0, "rule exclude");
	is_int(selection_add_exclude(&sel, SIZE_MAX, "/usr/share/*"), 0, "global exclude");
	selection_finish(&sel);
	is_str(sel.rules[0].path, "/etc/passwd", "sorted");

	r = selection_rule_for(&sel, "/usr/bin/ls");
	ok(r && streq(r->path, "/usr/bin"), "deepest rule wins");
	r = selection_rule_for(&sel, "/usr/lib/x");
	ok(r && streq(r->path, "/usr"), "parent rule covers");
	ok(selection_rule_for(&sel, "/etc/passwd/x") == NULL, "non-recursive rule covers only itself");
	ok(selection_rule_for(&sel, "/var") == NULL, "unselected path");
	ok(selection_is_other_root(&sel, &sel.rules[1], "/usr/bin"), "/usr/bin is another rule's root");
	ok(!selection_is_other_root(&sel, &sel.rules[2], "/usr/bin"), "but not for its own rule");
	ok(selection_excluded(&sel, NULL, "/usr/share/doc", "doc"), "global absolute glob");
	r = selection_rule_for(&sel, "/usr/x.pyc");
	ok(selection_excluded(&sel, r, "/usr/x.pyc", "x.pyc"), "rule name glob");
	ok(!selection_excluded(&sel, r, "/usr/x.py", "x.py"), "not excluded");

	is_int(selection_serialize(&sel, &sb), 0, "serialise");
	is_int(selection_deserialize(sb.buf, sb.len, &back), 0, "deserialise");
	is_int(back.n_rules, 3, "rules round trip");
	is_str(back.rules[2].path, "/usr/bin", "path round trip");
	is_int(back.rules[2].mask, ATTR_SHA256, "mask round trip");
	is_int(back.rules[0].recurse, 0, "recurse round trip");
	is_str(back.excludes[0], "/usr/share/*", "global exclude round trip");
	is_str(back.rules[1].excludes[0], "*.pyc", "rule exclude round trip");
	selection_hash(&sel, h1);
	selection_hash(&back, h2);
	ok(memcmp(h1, h2, 32) == 0, "hash round trip");
	for (size_t cut = 0; cut < sb.len; cut++) {
		struct selection t;

		if (selection_deserialize(sb.buf, cut, &t) == 0) {
			ok(0, "truncation at %zu accepted", cut);
			selection_free(&t);
			break;
		}
	}
	ok(1, "every truncation rejected");
	selection_free(&back);
	selection_free(&sel);
	strbuf_free(&sb);
	return tap_done();
}
