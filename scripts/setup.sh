#!/usr/bin/env bash
# Installs the Debian packages kettle needs to build, test and plot, when they are missing.
#
#   scripts/setup.sh           install what is missing (silent when nothing is)
#   scripts/setup.sh --check   list what is missing; exit 1 if anything is, install nothing
#
# Idempotent: when everything is there it runs one dpkg-query and prints nothing, so the
# README's commands can start with it every time.
set -euo pipefail

packages=(
    cmake ninja-build g++
    libeigen3-dev libtbb-dev libhdf5-dev
    libgtest-dev libgmock-dev googletest libbenchmark-dev
    libcli11-dev nlohmann-json3-dev libfmt-dev
    python3 python3-numpy python3-h5py python3-matplotlib
    clang libclang-rt-14-dev
)

check_only=0
case "${1:-}" in
    "") ;;
    --check) check_only=1 ;;
    -h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$1' (valid: --check, --help)" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup.sh: dpkg-query not found; this script supports Debian and Ubuntu only." >&2
    echo "setup.sh: install these packages (or their equivalents) by hand: ${packages[*]}" >&2
    exit 1
fi

# One query for all packages; unknown ones print nothing, so "missing" is what is not listed
# as installed.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null \
            | awk '$2 == "installed" { print $1 }' || true)
missing=()
for p in "${packages[@]}"; do
    grep -qxF -- "$p" <<<"$installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
if [ "$check_only" -eq 1 ]; then
    printf '%s\n' "${missing[@]}"
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "setup.sh: missing packages: ${missing[*]}" >&2
    echo "setup.sh: not root and sudo is not available; install them as root." >&2
    exit 1
fi

echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
