/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * journald MESSAGE_IDs of vigil's event classes: 128-bit ids generated
 * once with systemd-id128(1) and never changed, because alerting rules
 * and the catalog (contrib/vigil.catalog, one entry per id) key on them.
 * A new event class gets a new id; an id is never reused.
 */

#define VIGIL_MID_FILE_CREATED		"a2db976cd570424bb5055e7fafddde21"
#define VIGIL_MID_FILE_DELETED		"ad33c02a7049489aa3c197e09da570a6"
#define VIGIL_MID_FILE_UPDATED		"3abc4dafc3ab4306a54ffcc0e8199a23"
#define VIGIL_MID_FILE_ATTRIBUTES	"dea60c3869e84ba89c12c3124fc7f000"
#define VIGIL_MID_FILE_TYPE_CHANGED	"a5fbaee0e41045d6881ee349684935b3"
#define VIGIL_MID_FILE_MOVED		"5cd7a51251cd49848a4e73f00a260a60"
#define VIGIL_MID_QUEUE_OVERFLOW	"2eb15c89921c4cadb2c8924ce6369186"
#define VIGIL_MID_BURST_SUMMARY		"a2efc0bb86c64f60960fa4aebebb6bc2"
#define VIGIL_MID_EVENTS_DROPPED	"fc84e04cc0ac42eba002f2ccfafdd5e9"
#define VIGIL_MID_AUDIT_FAILED		"f1289843d11b4b6393c81bb7a962a1fb"
#define VIGIL_MID_AUDIT_RECOVERED	"5cf08429ce274b65b8bf7fc5842308b1"
#define VIGIL_MID_AUDIT_SUMMARY		"87ac40a034b243b8979679b2e06e457e"
#define VIGIL_MID_EXEC_DENIED		"b9214fcab42c437dae3d4df46125e412"
#define VIGIL_MID_EXEC_WOULD_DENY	"8113ef34418b47cd87838f932dc8e665"
#define VIGIL_MID_DAEMON_STARTED	"b851393a900046858f12b14cc6dc302a"
#define VIGIL_MID_DAEMON_RELOADED	"452aa11344e74ecd85a3697c320f6cb6"
#define VIGIL_MID_DAEMON_STOPPED	"fb2f32017d1548b99f2511abfb56d878"
#define VIGIL_MID_CHECK_SUMMARY		"54fee6e4c8ce4741a351160c45ae1efb"
