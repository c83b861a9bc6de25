#include "bench/sys/pin.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hwloc.h>

static hwloc_topology_t topo;
static cpu_set_t initial_mask;
static int have_initial_mask;

static int load(const char *synthetic)
{
	int rc;

	pin_fini();
	if (hwloc_topology_init(&topo) < 0)
		return -errno;
	if (synthetic && hwloc_topology_set_synthetic(topo, synthetic) < 0) {
		rc = -errno ? -errno : -EINVAL;
		goto out_destroy;
	}
	if (hwloc_topology_load(topo) < 0) {
		rc = -errno;
		goto out_destroy;
	}
	if (!synthetic && sched_getaffinity(0, sizeof(initial_mask), &initial_mask) == 0)
		have_initial_mask = 1;
	return 0;

out_destroy:
	hwloc_topology_destroy(topo);
	topo = NULL;
	return rc;
}

int pin_init(void)
{
	return topo ? 0 : load(NULL);
}

int pin_init_synthetic(const char *description)
{
	return load(description);
}

void pin_fini(void)
{
	if (topo)
		hwloc_topology_destroy(topo);
	topo = NULL;
}

unsigned pin_usable_pus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

int pin_supported(void)
{
	const struct hwloc_topology_support *s;

	if (pin_init())
		return 0;
	s = hwloc_topology_get_support(topo);
	return s && s->cpubind->set_thisthread_cpubind && s->cpubind->set_thisproc_cpubind;
}

const char *pin_policy_name(enum pin_policy p)
{
	switch (p) {
	case PIN_COMPACT:
		return "compact";
	case PIN_SCATTER:
		return "scatter";
	default:
		return "none";
	}
}

static int plan_compact(struct pin_plan *plan, int npus)
{
	for (unsigned i = 0; i < plan->nworkers; i++) {
		hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, i % (unsigned)npus);

		if (!pu)
			return -ENODEV;
		plan->pu[i] = (int)pu->os_index;
	}
	return 0;
}

static int plan_scatter(struct pin_plan *plan)
{
	hwloc_obj_t root = hwloc_get_root_obj(topo);
	hwloc_cpuset_t *sets = calloc(plan->nworkers, sizeof(*sets));
	int rc = 0;

	if (!sets)
		return -ENOMEM;
	/* hwloc_distrib() allocates each set itself (hwloc_bitmap_dup) */
	if (hwloc_distrib(topo, &root, 1, sets, plan->nworkers, INT_MAX, 0) < 0) {
		rc = -errno;
		goto out_free_sets;
	}
	for (unsigned i = 0; i < plan->nworkers; i++) {
		hwloc_bitmap_singlify(sets[i]);
		plan->pu[i] = hwloc_bitmap_first(sets[i]);
		if (plan->pu[i] < 0) {
			rc = -ENODEV;
			goto out_free_sets;
		}
	}
out_free_sets:
	for (unsigned i = 0; i < plan->nworkers; i++)
		hwloc_bitmap_free(sets[i]);
	free(sets);
	return rc;
}

int pin_plan_make(enum pin_policy policy, unsigned nworkers, struct pin_plan **out)
{
	struct pin_plan *plan;
	int npus, rc;

	*out = NULL;
	if (policy == PIN_NONE)
		return 0;
	rc = pin_init();
	if (rc)
		return rc;
	npus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	if (npus <= 0)
		return -ENODEV;
	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	plan->pu = calloc(nworkers ? nworkers : 1, sizeof(*plan->pu));
	if (!plan->pu) {
		free(plan);
		return -ENOMEM;
	}
	plan->policy = policy;
	plan->nworkers = nworkers;
	plan->wrapped = nworkers > (unsigned)npus;
	rc = policy == PIN_COMPACT ? plan_compact(plan, npus) : plan_scatter(plan);
	if (rc) {
		pin_plan_free(plan);
		return rc;
	}
	*out = plan;
	return 0;
}

void pin_plan_free(struct pin_plan *plan)
{
	if (!plan)
		return;
	free(plan->pu);
	free(plan);
}

int pin_planned_pu(const struct pin_plan *plan, unsigned worker)
{
	if (!plan || !plan->nworkers)
		return -1;
	return plan->pu[worker % plan->nworkers];
}

static int bind(const struct pin_plan *plan, unsigned worker, int flags, char *err, size_t len)
{
	hwloc_bitmap_t set;
	int pu = pin_planned_pu(plan, worker), rc = 0;

	if (pu < 0)
		return 0;
	set = hwloc_bitmap_alloc();
	if (!set)
		return -ENOMEM;
	hwloc_bitmap_only(set, (unsigned)pu);
	if (hwloc_set_cpubind(topo, set, flags) < 0) {
		rc = errno ? -errno : -EINVAL;
		snprintf(err, len, "cannot bind %s of worker %u to cpuset {%d}: %s",
			 flags == HWLOC_CPUBIND_THREAD ? "thread" : "process", worker, pu,
			 strerror(-rc));
	}
	hwloc_bitmap_free(set);
	return rc;
}

int pin_bind_thread(const struct pin_plan *plan, unsigned worker, char *err, size_t len)
{
	return bind(plan, worker, HWLOC_CPUBIND_THREAD, err, len);
}

int pin_bind_process(const struct pin_plan *plan, unsigned worker, char *err, size_t len)
{
	return bind(plan, worker, HWLOC_CPUBIND_PROCESS, err, len);
}

int pin_check(char *err, size_t len)
{
	struct pin_plan *plan;
	int rc;

	if (!pin_supported()) {
		snprintf(err, len, "binding threads and processes is not supported on this system");
		return -ENOTSUP;
	}
	rc = pin_plan_make(PIN_COMPACT, 1, &plan);
	if (rc) {
		snprintf(err, len, "cannot make a pin plan: %s", strerror(-rc));
		return rc;
	}
	rc = pin_bind_thread(plan, 0, err, len);
	pin_unbind_thread();
	pin_plan_free(plan);
	return rc;
}

void pin_unbind_thread(void)
{
	if (have_initial_mask)
		sched_setaffinity(gettid(), sizeof(initial_mask), &initial_mask);
}

int pin_release_process(unsigned *before, unsigned *after)
{
	cpu_set_t all;

	*before = pin_usable_pus();
	CPU_ZERO(&all);
	for (int c = 0; c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	if (sched_setaffinity(0, sizeof(all), &all) < 0) {
		*after = *before;
		return -errno;
	}
	*after = pin_usable_pus();
	return 0;
}

int pin_topology_info(struct pin_topology_info *info)
{
	static const hwloc_obj_type_t caches[4] = {
		HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L4CACHE,
	};
	hwloc_obj_t pkg;
	int rc;

	memset(info, 0, sizeof(*info));
	rc = pin_init();
	if (rc)
		return rc;
	info->packages = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	info->cores = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	info->pus = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	info->numa_nodes = (unsigned)hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
	pkg = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, 0);
	if (pkg) {
		const char *model = hwloc_obj_get_info_by_name(pkg, "CPUModel");

		if (model)
			snprintf(info->cpu_model, sizeof(info->cpu_model), "%s", model);
	}
	for (int i = 0; i < 4; i++) {
		hwloc_obj_t c = hwloc_get_obj_by_type(topo, caches[i], 0);

		/* L1: the data (or unified) cache */
		if (c && c->attr)
			info->cache_bytes[i] = c->attr->cache.size;
	}
	return 0;
}
