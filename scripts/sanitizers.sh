#!/usr/bin/env bash
# Builds kettle's tests with sanitizers and runs them.
#
#   scripts/sanitizers.sh          both runs below, ASan+UBSan first
#   scripts/sanitizers.sh asan     AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   scripts/sanitizers.sh tsan     ThreadSanitizer on the parallel parts (build-tsan/)
#   scripts/sanitizers.sh ci       what CI runs (about 20 minutes on 2 cores), see run_ci below
#
# asan: the test suite (benchmarks and examples off) in RelWithDebInfo; a leak, a bad access or
# undefined behaviour fails the test it happens in. tsan: the tests that run kernels on worker
# threads, the trainer's parallel mini-batches, fusion and the concurrency tests, with the
# parallel loops on std::threads (KETTLE_PARALLEL_BACKEND=std: TSan cannot see into Debian's
# uninstrumented oneTBB). Both use the default C++ compiler and stop at the first report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=(asan tsan)
case "${1:-}" in
    "") ;;
    asan|tsan|ci) runs=("$1") ;;
    -h|--help) sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "sanitizers.sh: unknown argument '$1' (valid: asan, tsan, ci, --help)" >&2; exit 2 ;;
esac

jobs=${KETTLE_SANITIZER_JOBS:-2}

# configure DIR FLAGS [CMAKE ARGS...]: a RelWithDebInfo build of the tests only, with FLAGS on
# every target.
configure() {
    local dir=$1 flags=$2
    shift 2
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DKETTLE_BUILD_BENCHMARKS=OFF -DKETTLE_BUILD_EXAMPLES=OFF \
        -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
        -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" "$@" >/dev/null
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
    asan_env ctest --test-dir build-asan --output-on-failure -j"$jobs" -E "$asan_skip"
    echo "sanitizers.sh: asan tests took $((SECONDS - tested)) s" >&2
}

# asan_env COMMAND...: runs COMMAND with the ASan, LSan and UBSan settings. allocator_may_return_null
# and the suppressions: as in scripts/fuzz.sh, for the corrupted HDF5 files of the fuzz
# regressions (HDF5 asks for terabytes, fails, leaks a few bytes, and once reads freed memory
# inside libhdf5: fuzz/asan.supp, fuzz/lsan.supp).
asan_env() {
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:max_allocation_size_mb=4096:detect_stack_use_after_return=1:strict_string_checks=1:suppressions=$PWD/fuzz/asan.supp \
    LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$@"
}

# Extra arguments for some test executables in run_each.
declare -A gtest_args=()

# run_each DIR ENV-FUNCTION TARGET...: runs each test executable under the sanitizer's settings;
# fails after all have run if any failed.
run_each() {
    local dir=$1 env=$2 failed=()
    shift 2
    for t in "$@"; do
        echo "sanitizers.sh: $dir: $t ${gtest_args[$t]:-}" >&2
        # shellcheck disable=SC2086 # the extra arguments are words
        "$env" "$dir/tests/$t" --gtest_brief=1 ${gtest_args[$t]:-} || failed+=("$t")
    done
    if [ "${#failed[@]}" -gt 0 ]; then
        echo "sanitizers.sh: $dir: failed: ${failed[*]}" >&2
        return 1
    fi
}

# Test executables whose tests run work on several threads: kernels above 2^14 amplitudes on
# every ISA (test_isa, test_sampling), fusion, the trainer's parallel batches, and many
# simulations and trainings started from std::threads (test_hardening_concurrency).
tsan_targets=(test_isa test_gates test_sampling test_fusion test_qml_classifier test_hardening_concurrency)

tsan_env() {
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp" "$@"
}

# build_tsan DIR OPT TARGET...: the ThreadSanitizer build, parallel loops on std::threads.
build_tsan() {
    local dir=$1 opt=$2
    shift 2
    configure "$dir" "-fsanitize=thread -fno-omit-frame-pointer" -DKETTLE_PARALLEL_BACKEND=std \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt -g -DNDEBUG"
    cmake --build "$dir" --target "$@"
}

run_tsan() {
    local started=$SECONDS
    build_tsan build-tsan -O2 "${tsan_targets[@]}"
    echo "sanitizers.sh: tsan build took $((SECONDS - started)) s" >&2
    local tested=$SECONDS status=0
    run_each build-tsan tsan_env "${tsan_targets[@]}" || status=1
    echo "sanitizers.sh: tsan tests took $((SECONDS - tested)) s" >&2
    return "$status"
}

# CI's subset, the code that reads untrusted input or indexes raw memory, within CI's time:
# ASan+UBSan: the readers (OpenQASM, Pauli sums, CSV, HDF5 states, data sets and models, the
# damaged-file probe), every input fuzzing ever found, the kernels of every instruction set and
# measurement. These are built in scripts/fuzz.sh's build-fuzz/ (clang, ASan+UBSan on every
# library), so the instrumented libraries are compiled once for the tests and the fuzzers; then
# each fuzz target runs briefly on its corpus. TSan: the same tests as the tsan run, at -O1 to
# build sooner.
ci_asan_targets=(test_qasm_reader test_pauli test_classical_csv test_state_io test_model_io
                 test_classical_dataset_hdf5 test_hardening_damaged_hdf5 test_hardening_fuzz_regressions
                 test_isa test_measurement)

run_ci() {
    local started=$SECONDS status=0
    KETTLE_FUZZ_TESTS=ON scripts/fuzz.sh --build-only
    cmake --build build-fuzz --target "${ci_asan_targets[@]}"
    echo "sanitizers.sh: ci: asan+ubsan build (libraries, fuzzers, tests) took $((SECONDS - started)) s" >&2
    local step=$SECONDS
    run_each build-fuzz asan_env "${ci_asan_targets[@]}" || status=1
    echo "sanitizers.sh: ci: asan+ubsan tests took $((SECONDS - step)) s" >&2
    step=$SECONDS
    # Every target, the HDF5 readers included: files that crash libhdf5 itself are refused by
    # the probe (simulator/hdf5_probe.hpp) instead of stopping the run. Each run starts with
    # every seed and past finding of its target and mutates reproducibly (fuzz.sh --ci: a fixed
    # seed and count of inputs; the same build repeats its run input for input), so that a
    # change is not failed by a lucky run in code it did not touch (long runs, unseeded, are for
    # finding: scripts/fuzz.sh -t 600).
    # shellcheck disable=SC2086 # a list of target names
    KETTLE_FUZZ_TESTS=ON scripts/fuzz.sh --ci ${KETTLE_CI_FUZZ_TARGETS:-qasm pauli csv state dataset model} || status=1
    echo "sanitizers.sh: ci: fuzzing took $((SECONDS - step)) s" >&2
    step=$SECONDS
    build_tsan build-tsan-ci -O1 "${tsan_targets[@]}"
    echo "sanitizers.sh: ci: tsan build took $((SECONDS - step)) s" >&2
    step=$SECONDS
    run_each build-tsan-ci tsan_env "${tsan_targets[@]}" || status=1
    echo "sanitizers.sh: ci: tsan tests took $((SECONDS - step)) s" >&2
    echo "sanitizers.sh: ci: total $((SECONDS - started)) s" >&2
    # Again at the end, where a log cut to its last lines still shows it.
    if [ -s build-fuzz/findings.txt ]; then
        echo "sanitizers.sh: ci: what fuzzing found (scripts/fuzz.sh):" >&2
        cat build-fuzz/findings.txt >&2
    fi
    return "$status"
}

for r in "${runs[@]}"; do "run_$r"; done
