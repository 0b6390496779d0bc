/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_ns.c - namespace handles on the real kernel: open by PID, pidfd and
 * path, type checks, identity, parent, owner. Anything that creates a
 * namespace does it in a child process that exits; the test process itself
 * never changes namespaces. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

/* ---- a helper process that sets itself up, then waits to be released ---- */

struct holder {
	pid_t pid;
	int release; /* write end: closing it lets the holder exit */
};

/* Fork a child that runs SETUP (0 = ok), reports readiness through a pipe,
 * then blocks until the holder is released. */
static struct holder holder_start(int (*setup)(void *), void *arg)
{
	int ready[2], rel[2];
	struct holder h;
	char c = 0;

	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(rel, O_CLOEXEC), 0);
	fflush(NULL);
	h.pid = fork();
	ck_assert_int_ge(h.pid, 0);
	if (h.pid == 0) {
		close(ready[0]);
		close(rel[1]);
		c = setup ? (char)setup(arg) : 0;
		if (write(ready[1], &c, 1) != 1)
			_exit(120);
		while (read(rel[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(rel[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	ck_assert_msg(c == 0, "holder setup failed at step %d", c);
	h.release = rel[1];
	return h;
}

static void holder_stop(struct holder *h)
{
	int ws;

	close(h->release);
	ck_assert_int_eq(waitpid(h->pid, &ws, 0), h->pid);
	ck_assert_child_ok(ws);
}

static struct nsu_ns *open_self(struct nsu_ctx *ctx, enum nsu_nstype t,
				unsigned int flags)
{
	struct nsu_ns *ns = nsu_ns_open_pid(ctx, getpid(), t, flags);

	ck_assert_msg(ns != NULL, "open %s: %s", nsu_nstype_name(t),
		      nsu_strerror(-errno));
	return ns;
}

/* ---- tests ---- */

START_TEST(open_pid_every_type)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);

	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct nsu_ns *ns = open_self(ctx, t, 0);
		enum nsu_nstype got = NSU_NS_COUNT;
		char path[64];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", nsu_nstype_name(t));
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_uint_eq(nsu_ns_ino(ns), st.st_ino);
		ck_assert_uint_eq(nsu_ns_dev(ns), st.st_dev);
		ck_assert_int_eq(nsu_ns_type(ns), t);
		ck_assert_int_eq(fcntl(nsu_ns_fd(ns), F_GETFD) & FD_CLOEXEC,
				 FD_CLOEXEC);
		ck_assert_int_eq(nsu_fd_is_ns(nsu_ns_fd(ns), &got), 0);
		ck_assert_int_eq(got, t);
		nsu_ns_free(ns);
	}
	nsu_ns_free(NULL);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(fd_is_ns_rejects_other_files)
{
	static const char *const paths[] = {
		"/etc/passwd", "/", "/dev/null", "/proc/self/stat", "/proc/self/ns",
	};
	enum nsu_nstype t = NSU_NS_COUNT;
	int fd, p[2];

	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		ck_assert_int_ge(fd, 0);
		ck_assert_msg(nsu_fd_is_ns(fd, &t) == -NSU_ENOTNS, "%s", paths[i]);
		close(fd);
	}
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(nsu_fd_is_ns(p[0], &t), -NSU_ENOTNS);
	ck_assert_int_eq(nsu_fd_is_ns(p[1], NULL), -NSU_ENOTNS);
	close(p[0]);
	close(p[1]);
	ck_assert_int_eq(t, NSU_NS_COUNT); /* never written on failure */
	ck_assert_int_eq(nsu_fd_is_ns(-1, &t), -EBADF);
	ck_assert_int_eq(nsu_fd_is_ns(p[0], &t), -EBADF); /* closed */
}
END_TEST

START_TEST(open_path_checks)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	char *dir = make_tmpdir();
	char fifo[4096];
	struct nsu_ns *ns;

	/* the right type, and "any type" */
	ns = nsu_ns_open_path(ctx, "/proc/self/ns/net", NSU_NS_NET);
	ck_assert_ptr_nonnull(ns);
	nsu_ns_free(ns);
	ns = nsu_ns_open_path(ctx, "/proc/self/ns/uts", -1);
	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(nsu_ns_type(ns), NSU_NS_UTS);
	nsu_ns_free(ns);
	/* the wrong type */
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_path(ctx, "/proc/self/ns/net", NSU_NS_UTS));
	ck_assert_int_eq(errno, NSU_EWRONGTYPE);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_path(ctx, "/proc/self/ns/pid_for_children",
					    NSU_NS_TIME));
	ck_assert_int_eq(errno, NSU_EWRONGTYPE);
	/* not a namespace; missing; NULL */
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_path(ctx, "/etc/passwd", -1));
	ck_assert_int_eq(errno, NSU_ENOTNS);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_path(ctx, "/nonexistent/ns", -1));
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_path(ctx, NULL, -1));
	ck_assert_int_eq(errno, EINVAL);
	/* a FIFO given by mistake must not block the open */
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_path(ctx, fifo, -1));
	ck_assert_int_eq(errno, NSU_ENOTNS);
	remove_tree(dir);
	free(dir);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(open_pid_errors)
{
	struct nsu_ctx *ctx = ctx_with_proc("proc-basic");

	/* fixture processes have no ns/ directory */
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pid(ctx, 1, NSU_NS_NET, 0));
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pid(ctx, 0, NSU_NS_NET, 0));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pid(ctx, 1, NSU_NS_COUNT, 0));
	ck_assert_int_eq(errno, EINVAL);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(from_fd_ownership)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_ns *ns;
	int fd;

	/* on failure the caller keeps the fd */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_from_fd(ctx, fd, -1));
	ck_assert_int_eq(errno, NSU_ENOTNS);
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	close(fd);
	fd = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_from_fd(ctx, fd, NSU_NS_NET));
	ck_assert_int_eq(errno, NSU_EWRONGTYPE);
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	/* on success the handle owns it and closes it */
	ns = nsu_ns_from_fd(ctx, fd, NSU_NS_IPC);
	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(nsu_ns_fd(ns), fd);
	nsu_ns_free(ns);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
	nsu_ctx_free(ctx);
}
END_TEST

/* open_pidfd must agree with open_pid, with the PIDFD_GET_*_NAMESPACE
 * ioctls (6.11+) and with the /proc fallback. */
static void pidfd_matches_pid(int use_ioctl)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	int pidfd = nsu_pidfd_open(getpid(), 0);

	ck_assert_int_ge(pidfd, 0);
	if (!use_ioctl)
		ctx->has_pidfd_ns_ioctl = 0;
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		for (unsigned int fl = 0; fl <= NSU_NS_FOR_CHILDREN; fl++) {
			struct nsu_ns *a = open_self(ctx, t, fl);
			struct nsu_ns *b = nsu_ns_open_pidfd(ctx, pidfd, t, fl);

			ck_assert_msg(b != NULL, "pidfd %s: %s", nsu_nstype_name(t),
				      nsu_strerror(-errno));
			ck_assert(nsu_ns_equal(a, b));
			ck_assert_int_eq(nsu_ns_type(b), t);
			ck_assert_int_eq(fcntl(nsu_ns_fd(b), F_GETFD) & FD_CLOEXEC,
					 FD_CLOEXEC);
			nsu_ns_free(a);
			nsu_ns_free(b);
		}
	}
	/* 6.18 has the ioctls, and the probe remembers the answer */
	ck_assert_int_eq(ctx->has_pidfd_ns_ioctl, use_ioctl ? 1 : 0);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pidfd(ctx, -1, NSU_NS_NET, 0));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pidfd(ctx, pidfd, NSU_NS_COUNT, 0));
	ck_assert_int_eq(errno, EINVAL);
	close(pidfd);
	nsu_ctx_free(ctx);
}

START_TEST(open_pidfd_ioctl)
{
	pidfd_matches_pid(1);
}
END_TEST

START_TEST(open_pidfd_proc_fallback)
{
	pidfd_matches_pid(0);
}
END_TEST

START_TEST(open_pidfd_exited)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	siginfo_t si;
	int pidfd;
	pid_t child;

	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0)
		_exit(0);
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT), 0);
	/* a zombie has no namespaces left: both paths say ESRCH (the /proc
	 * fallback once passed on the ENOENT of /proc/PID/ns/net) */
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pidfd(ctx, pidfd, NSU_NS_NET, 0));
	ck_assert_int_eq(errno, ESRCH);
	ctx->has_pidfd_ns_ioctl = 0;
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pidfd(ctx, pidfd, NSU_NS_NET, 0));
	ck_assert_int_eq(errno, ESRCH);
	/* reaped: the fallback finds no PID to look up, the ioctl no task */
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pidfd(ctx, pidfd, NSU_NS_NET, 0));
	ck_assert_int_eq(errno, ESRCH);
	ctx->has_pidfd_ns_ioctl = NSU_PROBE_UNKNOWN;
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pidfd(ctx, pidfd, NSU_NS_USER, 0));
	ck_assert_int_eq(errno, ESRCH);
	/* a failure about the process says nothing about the kernel */
	ck_assert_int_ne(ctx->has_pidfd_ns_ioctl, 0);
	close(pidfd);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(open_pidfd_not_a_pidfd)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int pidfd = nsu_pidfd_open(getpid(), 0);
	struct nsu_ns *ns;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(pidfd, 0);
	/* an fd that is no pidfd is refused as such... */
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pidfd(ctx, fd, NSU_NS_NET, 0));
	ck_assert_int_eq(errno, EBADF);
	/* ...and does not make the context believe the kernel lacks the
	 * PIDFD_GET_*_NAMESPACE ioctls */
	ck_assert_int_ne(ctx->has_pidfd_ns_ioctl, 0);
	ns = nsu_ns_open_pidfd(ctx, pidfd, NSU_NS_NET, 0);
	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(ctx->has_pidfd_ns_ioctl, 1);
	nsu_ns_free(ns);
	close(fd);
	close(pidfd);
	nsu_ctx_free(ctx);
}
END_TEST

static int unshare_pid_time(void *arg)
{
	pid_t init;

	if (unshare(CLONE_NEWPID | CLONE_NEWTIME) < 0)
		return 1;
	if (!arg)
		return 0;
	/* Give the new PID namespace its init: until then the kernel will
	 * not open pid_for_children. It dies with the holder. */
	init = fork();
	if (init < 0)
		return 2;
	if (init == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 0) /* the holder is already gone */
			_exit(0);
		for (;;)
			pause();
	}
	return 0;
}

START_TEST(for_children)
{
	static int with_init = 1;
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct holder h;
	int pidfd;

	/* untouched process: *_for_children is the same namespace */
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct nsu_ns *a = open_self(ctx, t, 0);
		struct nsu_ns *b = open_self(ctx, t, NSU_NS_FOR_CHILDREN);

		ck_assert(nsu_ns_equal(a, b));
		nsu_ns_free(a);
		nsu_ns_free(b);
	}
	/* after unshare(CLONE_NEWPID), pid_for_children cannot be opened
	 * until the namespace has its init (time_for_children can) */
	h = holder_start(unshare_pid_time, NULL);
	errno = 0;
	ck_assert_ptr_null(nsu_ns_open_pid(ctx, h.pid, NSU_NS_PID,
					   NSU_NS_FOR_CHILDREN));
	ck_assert_int_eq(errno, ENOENT);
	holder_stop(&h);
	/* with an init, both *_for_children differ from the holder's own */
	h = holder_start(unshare_pid_time, &with_init);
	pidfd = nsu_pidfd_open(h.pid, 0);
	ck_assert_int_ge(pidfd, 0);
	for (int t = NSU_NS_PID; t <= NSU_NS_TIME; t += NSU_NS_TIME - NSU_NS_PID) {
		struct nsu_ns *self = nsu_ns_open_pid(ctx, h.pid, t, 0);
		struct nsu_ns *kids = nsu_ns_open_pid(ctx, h.pid, t,
						      NSU_NS_FOR_CHILDREN);
		struct nsu_ns *kids2 = nsu_ns_open_pidfd(ctx, pidfd, t,
							 NSU_NS_FOR_CHILDREN);
		struct nsu_ns *ours = open_self(ctx, t, 0);

		ck_assert_ptr_nonnull(self);
		ck_assert_ptr_nonnull(kids);
		ck_assert_ptr_nonnull(kids2);
		ck_assert(nsu_ns_equal(self, ours));
		ck_assert(!nsu_ns_equal(kids, ours));
		ck_assert(nsu_ns_equal(kids, kids2));
		ck_assert_int_eq(nsu_ns_type(kids), t);
		nsu_ns_free(self);
		nsu_ns_free(kids);
		nsu_ns_free(kids2);
		nsu_ns_free(ours);
	}
	close(pidfd);
	holder_stop(&h);
	nsu_ctx_free(ctx);
}
END_TEST

static int unshare_net(void *arg)
{
	(void)arg;
	return unshare(CLONE_NEWNET) == 0 ? 0 : 1;
}

START_TEST(ns_ids)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_ns *a, *b, *c, *m;
	uint64_t ia = 0, ib = 0, ic = 0, im = 0, mntid = 0;
	struct holder h;

	a = open_self(ctx, NSU_NS_NET, 0);
	b = nsu_ns_open_path(ctx, "/proc/self/ns/net", NSU_NS_NET);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(nsu_ns_id(a, &ia), 0);
	ck_assert_int_eq(nsu_ns_id(b, &ib), 0);
	ck_assert_uint_ne(ia, 0);
	ck_assert_uint_eq(ia, ib);  /* same namespace, two opens */
	ck_assert(nsu_ns_equal(a, b));
	h = holder_start(unshare_net, NULL);
	c = nsu_ns_open_pid(ctx, h.pid, NSU_NS_NET, 0);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(nsu_ns_id(c, &ic), 0);
	ck_assert_uint_ne(ic, ia);  /* another namespace, another id */
	ck_assert(!nsu_ns_equal(a, c));
	/* every type has an id on 6.18; for mnt it is NS_GET_MNTNS_ID's */
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct nsu_ns *x = open_self(ctx, t, 0);
		uint64_t id = 0;

		ck_assert_msg(nsu_ns_id(x, &id) == 0, "%s", nsu_nstype_name(t));
		ck_assert_uint_ne(id, 0);
		nsu_ns_free(x);
	}
	m = open_self(ctx, NSU_NS_MNT, 0);
	ck_assert_int_eq(nsu_ns_id(m, &im), 0);
	ck_assert_int_eq(ioctl(nsu_ns_fd(m), NS_GET_MNTNS_ID, &mntid), 0);
	ck_assert_uint_eq(im, mntid);
	ck_assert_int_eq(nsu_mntns_self_id(ctx, &mntid), 0);
	ck_assert_uint_eq(im, mntid);
	nsu_ns_free(a);
	nsu_ns_free(b);
	nsu_ns_free(c);
	nsu_ns_free(m);
	holder_stop(&h);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(ns_equal_cases)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_ns *net = open_self(ctx, NSU_NS_NET, 0);
	struct nsu_ns *uts = open_self(ctx, NSU_NS_UTS, 0);

	ck_assert(nsu_ns_equal(net, net));
	ck_assert(!nsu_ns_equal(net, uts));
	ck_assert(!nsu_ns_equal(net, NULL));
	ck_assert(!nsu_ns_equal(NULL, net));
	ck_assert(!nsu_ns_equal(NULL, NULL));
	nsu_ns_free(net);
	nsu_ns_free(uts);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(owner_is_user_ns)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_ns *user = open_self(ctx, NSU_NS_USER, 0);

	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct nsu_ns *ns, *owner;

		if (t == NSU_NS_USER)
			continue;
		ns = open_self(ctx, t, 0);
		owner = nsu_ns_owner(ns);
		ck_assert_msg(owner != NULL, "owner of %s: %s",
			      nsu_nstype_name(t), nsu_strerror(-errno));
		ck_assert_int_eq(nsu_ns_type(owner), NSU_NS_USER);
		ck_assert(nsu_ns_equal(owner, user));
		ck_assert_int_eq(fcntl(nsu_ns_fd(owner), F_GETFD) & FD_CLOEXEC,
				 FD_CLOEXEC);
		nsu_ns_free(owner);
		nsu_ns_free(ns);
	}
	/* the initial user namespace has no owner we may see */
	errno = 0;
	ck_assert_ptr_null(nsu_ns_owner(user));
	ck_assert_int_eq(errno, EPERM);
	nsu_ns_free(user);
	nsu_ctx_free(ctx);
}
END_TEST

/* In a child: unshare(CLONE_NEWPID), fork a grandchild (PID 1 of the new
 * namespace), and check parent/child relations from there. */
static int pidns_parent_check(void *arg)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_ns *ours, *inner, *parent, *none;
	struct nsu_proc *p;
	const pid_t *pids;
	int rel[2], ws, rc = 0;
	pid_t g;
	char c;

	(void)arg;
	CHILD_CHECK(ctx != NULL);
	ours = nsu_ns_open_pid(ctx, getpid(), NSU_NS_PID, 0);
	CHILD_CHECK(ours != NULL);
	CHILD_CHECK(unshare(CLONE_NEWPID) == 0);
	CHILD_CHECK(pipe2(rel, O_CLOEXEC) == 0);
	g = fork();
	CHILD_CHECK(g >= 0);
	if (g == 0) {
		close(rel[1]);
		while (read(rel[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(getpid() == 1 ? 0 : 9);
	}
	close(rel[0]);
	inner = nsu_ns_open_pid(ctx, g, NSU_NS_PID, 0);
	CHILD_CHECK(inner != NULL);
	CHILD_CHECK(!nsu_ns_equal(inner, ours));
	parent = nsu_ns_parent(inner);
	CHILD_CHECK(parent != NULL);
	CHILD_CHECK(nsu_ns_type(parent) == NSU_NS_PID);
	CHILD_CHECK(nsu_ns_equal(parent, ours));
	/* NSpid of the grandchild: two levels, PID 1 inside */
	p = nsu_proc_read(ctx, g, NSU_PROC_STATUS);
	CHILD_CHECK(p != NULL);
	CHILD_CHECK(nsu_proc_nspid(p, &pids) == 2);
	CHILD_CHECK(pids[0] == g && pids[1] == 1);
	nsu_proc_free(p);
	/* our own (initial) PID namespace: the parent is out of reach */
	errno = 0;
	none = nsu_ns_parent(ours);
	CHILD_CHECK(none == NULL && errno == EPERM);
	close(rel[1]);
	CHILD_CHECK(waitpid(g, &ws, 0) == g);
	CHILD_CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	nsu_ns_free(ours);
	nsu_ns_free(inner);
	nsu_ns_free(parent);
	nsu_ctx_free(ctx);
	return rc;
}

START_TEST(pidns_parent)
{
	ck_assert_child_ok(run_in_child(pidns_parent_check, NULL));
}
END_TEST

START_TEST(parent_of_flat_type)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_ns *net = open_self(ctx, NSU_NS_NET, 0);

	/* only pid and user namespaces are hierarchical */
	errno = 0;
	ck_assert_ptr_null(nsu_ns_parent(net));
	ck_assert_int_eq(errno, EINVAL);
	nsu_ns_free(net);
	nsu_ctx_free(ctx);
}
END_TEST

static int unshare_user_as_4321(void *arg)
{
	(void)arg;
	if (setresgid(4321, 4321, 4321) < 0 || setresuid(4321, 4321, 4321) < 0)
		return 1;
	return unshare(CLONE_NEWUSER) == 0 ? 0 : 2;
}

START_TEST(owner_uid)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_ns *user = open_self(ctx, NSU_NS_USER, 0);
	struct nsu_ns *net = open_self(ctx, NSU_NS_NET, 0);
	struct nsu_ns *child, *parent;
	struct holder h;
	uid_t uid = 77;

	ck_assert_int_eq(nsu_ns_owner_uid(user, &uid), 0);
	ck_assert_uint_eq(uid, 0);
	uid = 77;
	ck_assert_int_eq(nsu_ns_owner_uid(net, &uid), -NSU_EWRONGTYPE);
	ck_assert_uint_eq(uid, 77);
	/* a user namespace created by uid 4321 */
	h = holder_start(unshare_user_as_4321, NULL);
	child = nsu_ns_open_pid(ctx, h.pid, NSU_NS_USER, 0);
	ck_assert_ptr_nonnull(child);
	ck_assert(!nsu_ns_equal(child, user));
	ck_assert_int_eq(nsu_ns_owner_uid(child, &uid), 0);
	ck_assert_uint_eq(uid, 4321);
	parent = nsu_ns_parent(child);
	ck_assert_ptr_nonnull(parent);
	ck_assert(nsu_ns_equal(parent, user));
	nsu_ns_free(parent);
	/* its owner (NS_GET_USERNS on a user ns) is the parent, too */
	parent = nsu_ns_owner(child);
	ck_assert_ptr_nonnull(parent);
	ck_assert(nsu_ns_equal(parent, user));
	nsu_ns_free(parent);
	nsu_ns_free(child);
	holder_stop(&h);
	nsu_ns_free(user);
	nsu_ns_free(net);
	nsu_ctx_free(ctx);
}
END_TEST

static Suite *ns_suite(void)
{
	Suite *s = suite_create("ns");
	TCase *tc = tcase_create("kernel");

	tcase_add_test(tc, open_pid_every_type);
	tcase_add_test(tc, fd_is_ns_rejects_other_files);
	tcase_add_test(tc, open_path_checks);
	tcase_add_test(tc, open_pid_errors);
	tcase_add_test(tc, from_fd_ownership);
	tcase_add_test(tc, open_pidfd_ioctl);
	tcase_add_test(tc, open_pidfd_proc_fallback);
	tcase_add_test(tc, open_pidfd_exited);
	tcase_add_test(tc, open_pidfd_not_a_pidfd);
	tcase_add_test(tc, for_children);
	tcase_add_test(tc, ns_ids);
	tcase_add_test(tc, ns_equal_cases);
	tcase_add_test(tc, owner_is_user_ns);
	tcase_add_test(tc, pidns_parent);
	tcase_add_test(tc, parent_of_flat_type);
	tcase_add_test(tc, owner_uid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(ns_suite());
}
