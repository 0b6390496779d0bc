/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_mntns.c - mount namespace ids and nsu_mntns_unshare_newer() on each
 * CPU. Ids come from per-CPU batches (Linux 6.18), so "created later" does
 * not mean "greater id"; the function must find a greater one anyway. All
 * unsharing happens in forked children. */
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>

#include "testutil.h"

static int ncpus_allowed(void)
{
	cpu_set_t set;

	ck_assert_int_eq(sched_getaffinity(0, sizeof(set), &set), 0);
	return CPU_COUNT(&set);
}

static int pin_cpu(int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one);
}

static bool only_on(int cpu)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 &&
	       CPU_COUNT(&set) == 1 && CPU_ISSET(cpu, &set);
}

START_TEST(self_id)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	uint64_t a = 0, b = 0, k = 0;
	int fd;

	ck_assert_int_eq(nsu_mntns_self_id(ctx, &a), 0);
	ck_assert_uint_ne(a, 0);
	ck_assert_int_eq(nsu_mntns_self_id(ctx, &b), 0);
	ck_assert_uint_eq(a, b);
	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ioctl(fd, NS_GET_MNTNS_ID, &k), 0);
	close(fd);
	ck_assert_uint_eq(a, k);
	nsu_ctx_free(ctx);
}
END_TEST

struct newer_case {
	uint64_t min;   /* 0: first unshare on OTHER and use its id */
	int cpu;        /* the CPU the caller is pinned to */
	int other;      /* where the older namespace was made (-1: none) */
};

static int newer_check(void *arg)
{
	const struct newer_case *c = arg;
	struct nsu_ctx *ctx = nsu_ctx_new();
	uint64_t min = c->min, before = 0, after = 0;

	CHILD_CHECK(ctx != NULL);
	if (c->other >= 0) {
		/* an outer namespace made on the other CPU */
		CHILD_CHECK(pin_cpu(c->other) == 0);
		CHILD_CHECK(unshare(CLONE_NEWNS) == 0);
		CHILD_CHECK(nsu_mntns_self_id(ctx, &min) == 0);
	}
	CHILD_CHECK(pin_cpu(c->cpu) == 0);
	CHILD_CHECK(nsu_mntns_self_id(ctx, &before) == 0);
	CHILD_CHECK(nsu_mntns_unshare_newer(ctx, min) == 0);
	CHILD_CHECK(nsu_mntns_self_id(ctx, &after) == 0);
	if (after <= min || after == before) {
		fprintf(stderr, "cpu %d: id %llu not above %llu (before %llu)\n",
			c->cpu, (unsigned long long)after,
			(unsigned long long)min, (unsigned long long)before);
		return 1;
	}
	/* the affinity is back to what it was */
	CHILD_CHECK(only_on(c->cpu));
	nsu_ctx_free(ctx);
	return 0;
}

static void check_newer(int cpu, int other)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct newer_case c = { 0, cpu, other };
	uint64_t parent = 0;

	if (cpu >= 1 && ncpus_allowed() < 2) {
		fprintf(stderr, "SKIP part: only one CPU, cannot test CPU %d\n", cpu);
		nsu_ctx_free(ctx);
		return;
	}
	if (other < 0) {
		ck_assert_int_eq(nsu_mntns_self_id(ctx, &parent), 0);
		c.min = parent;
	}
	ck_assert_child_ok(run_in_child(newer_check, &c));
	/* our own namespace is untouched */
	if (other < 0) {
		uint64_t now = 0;

		ck_assert_int_eq(nsu_mntns_self_id(ctx, &now), 0);
		ck_assert_uint_eq(now, parent);
	}
	nsu_ctx_free(ctx);
}

START_TEST(newer_than_parent_cpu0)
{
	check_newer(0, -1);
}
END_TEST

START_TEST(newer_than_parent_cpu1)
{
	check_newer(1, -1);
}
END_TEST

/* The order that breaks a plain unshare (see the brief): the outer
 * namespace from CPU 1, the inner one on CPU 0, and the reverse. */
START_TEST(newer_across_cpus_1_then_0)
{
	check_newer(0, 1);
}
END_TEST

START_TEST(newer_across_cpus_0_then_1)
{
	check_newer(1, 0);
}
END_TEST

static void note_retry(void *userdata, int priority, const char *fmt,
		       va_list ap)
{
	(void)priority;
	(void)fmt;
	(void)ap;
	*(int *)userdata += 1;
}

/* With both CPUs allowed, a retry moves between them; afterwards the
 * caller's affinity must be both CPUs again, not the one that won. */
static int restore_check(void *arg)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	uint64_t a = 0, b = 0, min, after = 0;
	cpu_set_t both, now;
	int older, retries = 0;

	(void)arg;
	CHILD_CHECK(ctx != NULL);
	CHILD_CHECK(sched_getaffinity(0, sizeof(both), &both) == 0);
	CHILD_CHECK(CPU_ISSET(0, &both) && CPU_ISSET(1, &both));
	CHILD_CHECK(pin_cpu(0) == 0 && unshare(CLONE_NEWNS) == 0);
	CHILD_CHECK(nsu_mntns_self_id(ctx, &a) == 0);
	CHILD_CHECK(pin_cpu(1) == 0 && unshare(CLONE_NEWNS) == 0);
	CHILD_CHECK(nsu_mntns_self_id(ctx, &b) == 0);
	/* start on the CPU whose batch is older: its next id is below the
	 * other CPU's, so the first try almost always fails */
	older = a < b ? 0 : 1;
	min = a < b ? b : a;
	CHILD_CHECK(pin_cpu(older) == 0);
	CHILD_CHECK(sched_setaffinity(0, sizeof(both), &both) == 0);
	nsu_ctx_set_log_fn(ctx, note_retry, &retries);
	nsu_ctx_set_log_priority(ctx, 7);
	CHILD_CHECK(nsu_mntns_unshare_newer(ctx, min) == 0);
	CHILD_CHECK(nsu_mntns_self_id(ctx, &after) == 0);
	CHILD_CHECK(after > min);
	CHILD_CHECK(sched_getaffinity(0, sizeof(now), &now) == 0);
	CHILD_CHECK(CPU_EQUAL(&now, &both));
	if (retries == 0)
		fprintf(stderr, "note: no retry was needed this time (ids %llu, %llu)\n",
			(unsigned long long)a, (unsigned long long)b);
	nsu_ctx_free(ctx);
	return 0;
}

START_TEST(affinity_restored_after_retry)
{
	if (ncpus_allowed() < 2) {
		fprintf(stderr, "SKIP part: only one CPU, nothing to move between\n");
		return;
	}
	ck_assert_child_ok(run_in_child(restore_check, NULL));
}
END_TEST

static Suite *mntns_suite(void)
{
	Suite *s = suite_create("mntns");
	TCase *tc = tcase_create("ids");

	tcase_add_test(tc, self_id);
	tcase_add_test(tc, newer_than_parent_cpu0);
	tcase_add_test(tc, newer_than_parent_cpu1);
	tcase_add_test(tc, newer_across_cpus_1_then_0);
	tcase_add_test(tc, newer_across_cpus_0_then_1);
	tcase_add_test(tc, affinity_restored_after_retry);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(mntns_suite());
}
