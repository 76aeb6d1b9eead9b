#!/usr/bin/env bash
# Builds kettle's libFuzzer targets with clang (in build-fuzz/) and runs each on its corpus.
#
#   scripts/fuzz.sh                  every target for 25 s, exploring (unseeded)
#   scripts/fuzz.sh -t 600 qasm csv  the named targets (qasm, pauli, csv, state, dataset, model), 600 s each
#   scripts/fuzz.sh --build-only     build, run nothing
#   scripts/fuzz.sh --replay state   run every seed and past finding of the named targets once
#   scripts/fuzz.sh --ci             what CI runs (scripts/sanitizers.sh ci): every target from
#                                    seed 1 for a fixed number of inputs (about 20 s each here),
#                                    reproducibly: the same build and inputs explore the same way
#
# Each run starts from the seeds (fuzz/corpus/<target>, the test corpora) and every input
# fuzzing ever found (tests/corpus/fuzz_regressions/<target>); what it learns goes to
# build-fuzz/corpus/<target>, kept between runs (--ci starts each time from an empty
# build-fuzz/corpus-ci/<target>). A crash, leak, sanitizer report, invariant failure or an input
# slower than 10 s stops the run: the input is left in build-fuzz/artifacts/<target>/, what
# broke and the input (gzipped, base64) in build-fuzz/findings.txt, and the script fails. Set
# KETTLE_FUZZ_NICE=10 to run at low priority, KETTLE_FUZZ_SEED=N to fix libFuzzer's random seed;
# KETTLE_FUZZ_TESTS=ON also configures the tests in build-fuzz/ (scripts/sanitizers.sh ci
# builds some there, on the same instrumented libraries). Needs clang and libFuzzer (Debian:
# clang, libclang-rt-14-dev).
#
# What makes --ci reproducible: a fixed seed and count of inputs, no reloading of the corpus
# (libFuzzer's timed -reload), no address randomization (setarch -R; where the system refuses
# it, the run goes on randomized and says so) and the same environment (so the stack starts at
# the same address), because libFuzzer mutates with the values the code compares, pointers
# included. The harnesses run kettle on one thread and name their scratch files without the
# process id, and fuzz/coverage_ignore.txt leaves out of the feedback the code whose counters
# depend on timing or on the machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=25
build_only=0
replay=0
ci=0
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        -t) seconds=${2:?"-t needs a number of seconds"}; shift ;;
        --build-only) build_only=1 ;;
        --replay) replay=1 ;;
        --ci) ci=1 ;;
        -h|--help) sed -n '2,29s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        qasm|pauli|csv|state|dataset|model) targets+=("$1") ;;
        *) echo "fuzz.sh: unknown argument '$1' (valid: -t SECONDS, --build-only, --replay, --ci, qasm, pauli, csv, state, dataset, model)" >&2; exit 2 ;;
    esac
    shift
done
[ "${#targets[@]}" -gt 0 ] || targets=(qasm pauli csv state dataset model)

for tool in clang clang++; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "fuzz.sh: $tool not found; install clang and libclang-rt-14-dev (scripts/setup.sh does)" >&2
        exit 1
    fi
done

started=$SECONDS
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKETTLE_BUILD_FUZZERS=ON \
    -DKETTLE_BUILD_TESTS="${KETTLE_FUZZ_TESTS:-OFF}" -DKETTLE_BUILD_BENCHMARKS=OFF -DKETTLE_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-fuzz --target kettle_fuzzers
echo "fuzz.sh: build took $((SECONDS - started)) s" >&2
[ "$build_only" -eq 0 ] || exit 0

# Read-only seed folders of each target besides its own corpus.
seeds_for() {
    case "$1" in
        qasm) echo "tests/corpus/qasm/valid tests/corpus/qasm/invalid tests/corpus/cli examples/qasm" ;;
        csv) echo "data" ;;
        *) echo "" ;;
    esac
}


# Longest input libFuzzer makes: CSV parsing is linear, so long inputs only slow it down (data/
# seeds are cut to this); QASM and HDF5 seeds are a few KiB.
max_len_for() {
    case "$1" in
        csv) echo 4096 ;;
        model) echo 24576 ;;  # a model file of 2 qubits is 18 KiB
        *) echo 16384 ;;
    esac
}

# Inputs per target in --ci: about 20 s each on a 2-core machine of this project (HDF5 targets
# run some 50-100 inputs a second, the text parsers thousands).
ci_runs_for() {
    case "$1" in
        qasm) echo 90000 ;;
        pauli) echo 500000 ;;
        csv) echo 75000 ;;
        state) echo 1000 ;;
        dataset) echo 800 ;;
        model) echo 2000 ;;
    esac
}

# Leaks are checked per input (HDF5's own small leaks on corrupted files aside, see
# fuzz/lsan.supp); -rss_limit_mb backs up the memory cap the harnesses set. HDF5 1.10 sizes some
# metadata blocks from the file before it can validate them; outside ASan such a request (tens
# of GB and more) fails and HDF5 reports an error, and max_allocation_size_mb with
# allocator_may_return_null makes ASan answer the same way instead of reserving (and HDF5 then
# clearing) the memory. In kettle's own code a failed allocation is std::bad_alloc, which escapes
# the harness and counts as a finding.
# fuzz/asan.supp: a use-after-free inside libhdf5 itself (see there).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:max_allocation_size_mb=2048:suppressions=$PWD/fuzz/asan.supp}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# --ci: the fixed conditions above.
launch=()
if [ "$ci" -eq 1 ]; then
    launch=(env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C TMPDIR=/tmp ASAN_OPTIONS="$ASAN_OPTIONS"
            LSAN_OPTIONS="$LSAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS")
    [ -z "${KETTLE_ISA:-}" ] || launch+=(KETTLE_ISA="$KETTLE_ISA")
    if setarch "$(uname -m)" -R true 2>/dev/null; then
        launch+=(setarch "$(uname -m)" -R)
    else
        echo "fuzz.sh: setarch -R refused here: addresses stay randomized, so the run may not repeat exactly" >&2
    fi
fi
# What a failed run found, for the end of a CI log (all that some CI systems keep): the first
# line that says what broke and the input itself, gzipped and in base64 (a few KiB of text at
# most), so that the input can be rebuilt without the artifact (`base64 -d | gunzip`).
findings=build-fuzz/findings.txt
rm -f "$findings"
record_finding() {
    local t=$1 log=$2 unit
    unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    {
        echo "fuzz.sh: $t: $(grep -m 1 -E 'kettle fuzz invariant failed|ERROR: [A-Za-z]+Sanitizer|runtime error|ERROR: libFuzzer|terminate called|what\(\)' "$log" || echo "no error line in $log")"
        if [ -n "$unit" ] && [ -f "$unit" ]; then
            echo "fuzz.sh: $t: the input ($(wc -c <"$unit") bytes, $unit), gzipped, base64; decode with base64 -d | gunzip:"
            gzip -9 -n -c <"$unit" | base64 -w 100
        else
            echo "fuzz.sh: $t: no input written (see $log)"
        fi
    } >>"$findings"
}
failed=()
for t in "${targets[@]}"; do
    corpus=build-fuzz/corpus/$t artifacts=build-fuzz/artifacts/$t
    if [ "$ci" -eq 1 ]; then
        corpus=build-fuzz/corpus-ci/$t
        rm -rf "$corpus"
    fi
    mkdir -p "$corpus" "$artifacts"
    dirs=("$corpus")
    # A target may have no regressions yet (git keeps no empty folder); libFuzzer stops on a missing one.
    for d in "fuzz/corpus/$t" "tests/corpus/fuzz_regressions/$t" $(seeds_for "$t"); do [ -d "$d" ] && dirs+=("$d"); done
    if [ "$replay" -eq 1 ]; then
        # Seeds and findings only, each run once: -runs=0 stops after the initial corpus.
        dirs=("${dirs[@]:1}")
        mode=(-runs=0)
        echo "fuzz.sh: $t: replaying ${dirs[*]}" >&2
    elif [ "$ci" -eq 1 ]; then
        mode=(-runs="$(ci_runs_for "$t")" -seed="${KETTLE_FUZZ_SEED:-1}" -reload=0)
        echo "fuzz.sh: $t for $(ci_runs_for "$t") inputs from seed ${KETTLE_FUZZ_SEED:-1}" >&2
    else
        mode=(-max_total_time="$seconds")
        echo "fuzz.sh: $t for $seconds s" >&2
    fi
    # KETTLE_FUZZ_SEED fixes libFuzzer's random seed (--ci's own defaults to 1); unset, every
    # run explores afresh.
    [ -z "${KETTLE_FUZZ_SEED:-}" ] || [ "$ci" -eq 1 ] || mode+=(-seed="$KETTLE_FUZZ_SEED")
    if ! nice -n "${KETTLE_FUZZ_NICE:-0}" ${launch[@]+"${launch[@]}"} "build-fuzz/fuzz/fuzz_$t" "${mode[@]}" -timeout=10 \
            -rss_limit_mb=2048 -max_len="$(max_len_for "$t")" -print_final_stats=1 -artifact_prefix="$artifacts/" "${dirs[@]}" \
            >"build-fuzz/fuzz_$t.log" 2>&1; then
        tail -n 60 "build-fuzz/fuzz_$t.log" >&2
        failed+=("$t")
        record_finding "$t" "build-fuzz/fuzz_$t.log"
    else
        grep -E '^stat::number_of_executed_units|^stat::new_units_added' "build-fuzz/fuzz_$t.log" \
            | sed "s/^/fuzz.sh: $t: /" >&2 || true
    fi
done
echo "fuzz.sh: total $((SECONDS - started)) s" >&2
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: failed: ${failed[*]} (inputs in build-fuzz/artifacts/; logs in build-fuzz/fuzz_*.log)" >&2
    cat "$findings" >&2
    exit 1
fi
