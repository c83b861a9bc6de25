# bench — build, run, test.
#
#   make            build build/bench
#   make run        install/check dependencies, run the headline job
#   make test       unit (cmocka) + CLI (bats) tests, ends with "N passed, N failed"
#   make bench      speed ratios against the Python peers in scripts/peers (not a test)
#   make asan|tsan  the test suite under sanitizers, in build/asan, build/tsan
#   make valgrind   a small run of every mode under memcheck (build/valgrind)
#   make fuzz       the libFuzzer targets, FUZZ_SECONDS each (clang; build/fuzz)
#   make static     build/static/bench, linked statically (for machines without our libraries)
#   make examples   the example plug-ins, build/examples/*.so (--workload plugin:FILE.so)
#   make install PREFIX=/usr/local DESTDIR=   (and make uninstall, the same variables)

VERSION  := 0.1.0
BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
OPT      ?= -O2 -g
WERROR   ?=

PKGS     := hwloc stb
PKG_CFLAGS := $(shell pkg-config --cflags-only-other $(PKGS) 2>/dev/null) \
              $(patsubst -I%,-isystem %,$(shell pkg-config --cflags-only-I $(PKGS) 2>/dev/null))
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wno-unused-parameter
CFLAGS   ?= $(OPT)
BENCH_CC := $(CC) $(shell $(CC) -dumpfullversion 2>/dev/null || $(CC) -dumpversion 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(if $(WERROR),-Werror) -I. $(PKG_CFLAGS) $(CPPFLAGS) \
             -DBENCH_VERSION='"$(VERSION)"' -DBENCH_CC='"$(BENCH_CC)"' \
             -DBENCH_CFLAGS='"$(strip $(CFLAGS))"' $(CFLAGS) -MMD -MP
LDLIBS   += $(PKG_LIBS) -lm -lpthread

# Open MPI is optional: found, only modes/mpi/rank.c and dispatch.c see mpi.h (and bench links
# libmpi); missing, or MPI=0 (make static), the mpi mode lists itself as
# unavailable with the reason.
MPI      ?= $(shell pkg-config --exists ompi-c 2>/dev/null || mpicc --showme >/dev/null 2>&1 && echo 1)
ifeq ($(MPI),1)
ifeq ($(shell pkg-config --exists ompi-c 2>/dev/null && echo 1),1)
MPI_CFLAGS := $(shell pkg-config --cflags-only-other ompi-c) \
              $(patsubst -I%,-isystem %,$(shell pkg-config --cflags-only-I ompi-c))
MPI_LIBS   := $(shell pkg-config --libs ompi-c)
else
MPI_CFLAGS := $(patsubst -I%,-isystem %,$(shell mpicc --showme:compile))
MPI_LIBS   := $(shell mpicc --showme:link)
endif
$(BUILD)/obj/modes/mpi/%.o: ALL_CFLAGS += -DBENCH_HAVE_MPI
$(BUILD)/obj/modes/mpi/rank.o $(BUILD)/obj/modes/mpi/dispatch.o: ALL_CFLAGS += $(MPI_CFLAGS)
LDLIBS   += $(MPI_LIBS)
endif

# The pixel kernels are loops the compiler vectorises at -O3: a per-file
# flag, which every compiler understands (a #pragma is gcc's alone).
$(BUILD)/obj/workloads/images/images_blur.o $(BUILD)/obj/workloads/images/images_resize.o: ALL_CFLAGS += -O3

# Plug-ins (--workload plugin:FILE.so) need dlopen: in libc since glibc 2.34,
# -ldl for older ones.  PLUGINS=0 (make static: a static binary cannot load
# shared objects safely) leaves dlopen out and the plugin workload lists
# itself as unavailable with the reason.
PLUGINS  ?= 1
ifeq ($(PLUGINS),1)
LDLIBS   += -ldl
else
$(BUILD)/obj/workloads/plugin.o: ALL_CFLAGS += -DBENCH_NO_PLUGINS
endif

# The example plug-ins see nothing of bench but its public header, like a
# user's: workloads/bench-plugin.h (installed as $(PREFIX)/include/bench-plugin.h).
EXAMPLE_SRC := $(wildcard workloads/examples/*.c)
EXAMPLE_SO  := $(EXAMPLE_SRC:workloads/examples/%.c=$(BUILD)/examples/%.so)
EXAMPLE_CFLAGS = -std=c11 $(WARN) $(if $(WERROR),-Werror) $(CPPFLAGS) -O2 -g -fPIC -shared -I workloads

# Every .c under these folders (and one level below) is part of bench, but
# for the driver's main, the static build's stand-in and the example
# plug-ins; tests/ has its own mains.
LIB_SRC  := $(sort $(filter-out bench/core/main.c bench/static/% workloads/examples/%, \
              $(wildcard bench/*.c bench/*/*.c modes/*.c modes/*/*.c workloads/*.c workloads/*/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all run test unit cli bench bench-images deps deps-test check-deps asan tsan valgrind fuzz \
	static examples install uninstall clean

all: $(BUILD)/bench

$(BUILD)/bench: $(BUILD)/obj/bench/core/main.o $(BUILD)/libbench.a $(STATIC_EXTRA)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libbench.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libbench.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libbench.a $(LDLIBS) -lcmocka

examples: $(EXAMPLE_SO)

$(BUILD)/examples/%.so: workloads/examples/%.c workloads/bench-plugin.h
	@mkdir -p $(dir $@)
	$(CC) $(EXAMPLE_CFLAGS) -o $@ $<

# ---------------------------------------------------------------- dependencies
deps:
	@scripts/deps.sh install

# make test also installs Open MPI (the mpi mode's tests), where it can
deps-test:
	@scripts/deps.sh install test

check-deps:
	@scripts/deps.sh check

# ---------------------------------------------------------------- jobs
run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/bench --workload images --modes all $(or $(RUN_ARGS),--max-time 80)

test: deps-test
	@$(MAKE) --no-print-directory WERROR=1 all $(TEST_BIN) examples
	@scripts/run-tests.sh $(BUILD)

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do $$t || fail=1; done; exit $$fail

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench-overhead.sh $(BUILD)/bench

bench-images: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench-images.sh $(BUILD)/bench

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan CC=gcc \
	  OPT='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer' \
	  LDFLAGS='-fsanitize=address,undefined' test

tsan:
	@$(MAKE) --no-print-directory BUILD=build/tsan CC=gcc \
	  OPT='-O1 -g -fsanitize=thread' LDFLAGS='-fsanitize=thread' test

valgrind:
	@$(MAKE) --no-print-directory BUILD=build/valgrind OPT='-O1 -g' all
	@scripts/valgrind.sh build/valgrind/bench

FUZZ_SECONDS ?= 60
fuzz:
	@scripts/fuzz.sh $(FUZZ_SECONDS)

# Static: Debian has libhwloc.a and libstb.a but no static libudev, which
# hwloc only uses for OS device names: bench/static/no_udev.c stands in.
static:
	@$(MAKE) --no-print-directory BUILD=build/static LDFLAGS='-static' MPI=0 PLUGINS=0 \
	  STATIC_EXTRA=build/static/obj/bench/static/no_udev.o \
	  PKG_LIBS='-lstb -lhwloc -lm -lpthread' all

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/bench/plots \
	  $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/bench $(DESTDIR)$(PREFIX)/bin/bench
	install -m 644 plots/*.gp $(DESTDIR)$(PREFIX)/share/bench/plots/
	install -m 644 workloads/bench-plugin.h $(DESTDIR)$(PREFIX)/include/bench-plugin.h

# What install installed, and the folders it made if they are left empty.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/bench $(DESTDIR)$(PREFIX)/include/bench-plugin.h \
	  $(patsubst plots/%,$(DESTDIR)$(PREFIX)/share/bench/plots/%,$(wildcard plots/*.gp))
	-rmdir $(DESTDIR)$(PREFIX)/share/bench/plots $(DESTDIR)$(PREFIX)/share/bench 2>/dev/null

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/bench/core/main.d $(TEST_BIN:=.d)
