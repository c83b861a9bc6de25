/*
 * machine — the fingerprint of the host a result was measured on.
 *
 * Every runs-CSV row carries these fields, so files from several machines
 * can simply be concatenated; machine_id is a short stable hash of them.
 * Memory comes from the OS (hwloc's figure can be wrong in a VM).
 */
#ifndef BENCH_MACHINE_H
#define BENCH_MACHINE_H

#include <stdio.h>

struct machine {
	char host[128];
	char machine_id[17];
	char cpu_model[128];
	char arch[32];
	unsigned packages, cores, pus, usable_pus, numa_nodes;
	unsigned long long mem_bytes;
	unsigned long long cache_bytes[4];   /* L1d, L2, L3, L4 */
	char os[128];
	char kernel[128];
	char compiler[128];
	char cflags[256];
	char bench_version[32];
};

/* Fill @m for this host (hwloc topology through pin.c). */
int machine_probe(struct machine *m);
void machine_print(const struct machine *m, FILE *out);
void machine_print_json(const struct machine *m, FILE *out);

#endif
