#include "bench/sys/machine.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench/sys/pin.h"
#include "bench/report/trace.h"

#ifndef BENCH_VERSION
#define BENCH_VERSION "dev"
#endif
#ifndef BENCH_CC
#define BENCH_CC "cc"
#endif
#ifndef BENCH_CFLAGS
#define BENCH_CFLAGS ""
#endif

static void os_pretty_name(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/etc/os-release", "re");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "PRETTY_NAME=", 12))
			continue;
		char *v = line + 12, *end;

		if (*v == '"')
			v++;
		end = v + strcspn(v, "\"\n");
		*end = '\0';
		snprintf(buf, len, "%.*s", (int)(len - 1), v);
		break;
	}
	fclose(f);
}

static unsigned long long mem_total(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
				break;
		fclose(f);
	}
	if (!kb) {
		long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

		return pages > 0 && size > 0 ? (unsigned long long)pages * (unsigned long long)size : 0;
	}
	return kb * 1024;
}

/* Model name from /proc/cpuinfo when hwloc has none (some VMs, non-x86). */
static void cpuinfo_model(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (colon && (!strncmp(line, "model name", 10) || !strncmp(line, "Model", 5))) {
			colon += 1 + strspn(colon + 1, " \t");
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, len, "%s", colon);
			break;
		}
	}
	fclose(f);
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h ^ 0xff;   /* field separator */
}

int machine_probe(struct machine *m)
{
	struct pin_topology_info topo;
	struct utsname u;
	char num[64];
	uint64_t h = 0xcbf29ce484222325ULL;

	memset(m, 0, sizeof(*m));
	if (gethostname(m->host, sizeof(m->host) - 1))
		snprintf(m->host, sizeof(m->host), "unknown");
	if (pin_topology_info(&topo) == 0) {
		snprintf(m->cpu_model, sizeof(m->cpu_model), "%s", topo.cpu_model);
		m->packages = topo.packages;
		m->cores = topo.cores;
		m->pus = topo.pus;
		m->numa_nodes = topo.numa_nodes;
		memcpy(m->cache_bytes, topo.cache_bytes, sizeof(m->cache_bytes));
	}
	if (!m->cpu_model[0])
		cpuinfo_model(m->cpu_model, sizeof(m->cpu_model));
	if (!m->cpu_model[0])
		snprintf(m->cpu_model, sizeof(m->cpu_model), "unknown");
	m->usable_pus = pin_usable_pus();
	m->mem_bytes = mem_total();
	os_pretty_name(m->os, sizeof(m->os));
	if (uname(&u) == 0) {
		snprintf(m->kernel, sizeof(m->kernel), "%.20s %.100s", u.sysname, u.release);
		snprintf(m->arch, sizeof(m->arch), "%.31s", u.machine);
	}
	snprintf(m->compiler, sizeof(m->compiler), "%s", BENCH_CC);
	snprintf(m->cflags, sizeof(m->cflags), "%s", BENCH_CFLAGS);
	snprintf(m->bench_version, sizeof(m->bench_version), "%s", BENCH_VERSION);

	h = fnv1a(h, m->host);
	h = fnv1a(h, m->cpu_model);
	h = fnv1a(h, m->arch);
	snprintf(num, sizeof(num), "%u/%u/%u/%u/%llu", m->packages, m->cores, m->pus,
		 m->numa_nodes, m->mem_bytes);
	h = fnv1a(h, num);
	h = fnv1a(h, m->os);
	h = fnv1a(h, m->kernel);
	snprintf(m->machine_id, sizeof(m->machine_id), "%012llx",
		 (unsigned long long)(h & 0xffffffffffffULL));
	return 0;
}

static void print_bytes(FILE *out, unsigned long long b)
{
	if (b >= 1ULL << 30)
		fprintf(out, "%.1f GiB", (double)b / (1ULL << 30));
	else if (b >= 1ULL << 20)
		fprintf(out, "%.1f MiB", (double)b / (1ULL << 20));
	else
		fprintf(out, "%llu KiB", b >> 10);
}

void machine_print(const struct machine *m, FILE *out)
{
	static const char *const level[4] = { "L1d", "L2", "L3", "L4" };

	fprintf(out, "host        %s (machine id %s)\n", m->host, m->machine_id);
	fprintf(out, "cpu         %s (%s)\n", m->cpu_model, m->arch);
	fprintf(out, "topology    %u package%s, %u cores, %u PUs (%u usable by bench), %u NUMA node%s\n",
		m->packages, m->packages == 1 ? "" : "s", m->cores, m->pus, m->usable_pus,
		m->numa_nodes, m->numa_nodes == 1 ? "" : "s");
	fprintf(out, "caches     ");
	for (int i = 0; i < 4; i++) {
		if (!m->cache_bytes[i])
			continue;
		fprintf(out, " %s ", level[i]);
		print_bytes(out, m->cache_bytes[i]);
	}
	fprintf(out, "\nmemory      ");
	print_bytes(out, m->mem_bytes);
	fprintf(out, "\nos          %s, %s\n", m->os, m->kernel);
	fprintf(out, "compiler    %s %s\n", m->compiler, m->cflags);
	fprintf(out, "bench       %s\n", m->bench_version);
}

static void json_str(FILE *out, const char *key, const char *v)
{
	fprintf(out, "  \"%s\": ", key);
	trace_json_string(out, v);   /* escaped, and valid UTF-8 whatever os-release says */
	fprintf(out, ",\n");
}

void machine_print_json(const struct machine *m, FILE *out)
{
	fprintf(out, "{\n");
	json_str(out, "host", m->host);
	json_str(out, "machine_id", m->machine_id);
	json_str(out, "cpu_model", m->cpu_model);
	json_str(out, "arch", m->arch);
	fprintf(out, "  \"packages\": %u,\n  \"cores\": %u,\n  \"pus\": %u,\n  \"usable_pus\": %u,\n"
		"  \"numa_nodes\": %u,\n  \"mem_bytes\": %llu,\n",
		m->packages, m->cores, m->pus, m->usable_pus, m->numa_nodes, m->mem_bytes);
	fprintf(out, "  \"l1d_bytes\": %llu,\n  \"l2_bytes\": %llu,\n  \"l3_bytes\": %llu,\n",
		m->cache_bytes[0], m->cache_bytes[1], m->cache_bytes[2]);
	json_str(out, "os", m->os);
	json_str(out, "kernel", m->kernel);
	json_str(out, "compiler", m->compiler);
	json_str(out, "cflags", m->cflags);
	fprintf(out, "  \"bench_version\": \"%s\"\n}\n", m->bench_version);
}
