/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exitcodes.h - the exit statuses of every nsutil tool, in one place. */
#ifndef NSU_EXITCODES_H
#define NSU_EXITCODES_H

/* Listing tools (nslist, nspin): */
#define NSU_EXIT_OK 0
#define NSU_EXIT_FAILURE 1
#define NSU_EXIT_USAGE 2

/* Exec-ing tools (nsunshare, nsenter2), like env(1), chroot(1) and
 * timeout(1): their own errors must not be mistaken for the command's
 * status. */
#define NSU_EXIT_TOOL 125       /* the tool itself failed (usage included) */
#define NSU_EXIT_CANNOT_EXEC 126 /* command found but not executable */
#define NSU_EXIT_NOT_FOUND 127  /* command not found */

#endif
