#!/usr/bin/env bash
# Builds kettle's tests with sanitizers and runs them.
#
#   scripts/sanitizers.sh          both runs below, ASan+UBSan first
#   scripts/sanitizers.sh asan     AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   scripts/sanitizers.sh tsan     ThreadSanitizer on the parallel parts (build-tsan/)
#
# asan: the test suite (benchmarks and examples off) in RelWithDebInfo; a leak, a bad access or
# undefined behaviour fails the test it happens in. tsan: the tests that run kernels on oneTBB
# workers, the trainer's parallel mini-batches, fusion and the concurrency tests. Both use the
# default C++ compiler (g++ or clang++) and stop at the first failing report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=(asan tsan)
case "${1:-}" in
    "") ;;
    asan|tsan) runs=("$1") ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "sanitizers.sh: unknown argument '$1' (valid: asan, tsan, --help)" >&2; exit 2 ;;
esac

jobs=${KETTLE_SANITIZER_JOBS:-2}

# configure DIR FLAGS: a RelWithDebInfo build of the tests only, with FLAGS on every target.
configure() {
    cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DKETTLE_BUILD_BENCHMARKS=OFF -DKETTLE_BUILD_EXAMPLES=OFF \
        -DCMAKE_CXX_FLAGS="$2" -DCMAKE_C_FLAGS="$2" \
        -DCMAKE_EXE_LINKER_FLAGS="$2" -DCMAKE_SHARED_LINKER_FLAGS="$2" >/dev/null
}

# The install consumer is a separate project built without the sanitizer flags, which cannot
# link the instrumented libraries; the normal test run covers it.
asan_skip='^(install_consumer)$'

run_asan() {
    local started=$SECONDS
    configure build-asan "-fsanitize=address,undefined -fno-omit-frame-pointer"
    cmake --build build-asan
    echo "sanitizers.sh: asan build took $((SECONDS - started)) s" >&2
    local tested=$SECONDS
    # allocator_may_return_null and the suppressions: as in scripts/fuzz.sh, for the corrupted HDF5
    # files of the fuzz regressions (HDF5 asks for terabytes, fails, leaks a few bytes, and once
    # reads freed memory inside libhdf5: fuzz/asan.supp, fuzz/lsan.supp).
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:max_allocation_size_mb=4096:detect_stack_use_after_return=1:strict_string_checks=1:suppressions=$PWD/fuzz/asan.supp \
    LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --test-dir build-asan --output-on-failure -j"$jobs" -E "$asan_skip"
    echo "sanitizers.sh: asan tests took $((SECONDS - tested)) s" >&2
}

# Test executables whose tests run work on several threads: kernels above 2^14 amplitudes on
# every ISA (test_isa, test_sampling), fusion, the trainer's parallel batches, and many
# simulations and trainings started from std::threads (test_hardening_concurrency).
tsan_targets=(test_isa test_gates test_sampling test_fusion test_qml_classifier test_hardening_concurrency)

run_tsan() {
    local started=$SECONDS
    configure build-tsan "-fsanitize=thread -fno-omit-frame-pointer"
    cmake --build build-tsan --target "${tsan_targets[@]}"
    echo "sanitizers.sh: tsan build took $((SECONDS - started)) s" >&2
    local tested=$SECONDS failed=()
    for t in "${tsan_targets[@]}"; do
        echo "sanitizers.sh: tsan: $t" >&2
        TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp" \
            "build-tsan/tests/$t" --gtest_brief=1 || failed+=("$t")
    done
    echo "sanitizers.sh: tsan tests took $((SECONDS - tested)) s" >&2
    if [ "${#failed[@]}" -gt 0 ]; then
        echo "sanitizers.sh: tsan: failed: ${failed[*]}" >&2
        return 1
    fi
}

for r in "${runs[@]}"; do "run_$r"; done
