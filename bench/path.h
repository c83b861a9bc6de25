/*
 * path — small file-system helpers shared by the driver and workloads.
 */
#ifndef BENCH_PATH_H
#define BENCH_PATH_H

/* mkdir -p: create @path and its missing parents (0755). 0 or -errno. */
int path_mkdir_p(const char *path);

#endif
