# Shared helpers for scripts/demo and scripts/test. Source it; do not run it.
set -euo pipefail

VIGIL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian 12 packages Vigil needs to build, test and demo.
VIGIL_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libpcap-dev libhyperscan-dev libzmq3-dev cppzmq-dev librocksdb-dev libsimdjson-dev
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev libpcre2-dev zlib1g-dev liblz4-dev libssl-dev
  libsodium-dev libfmt-dev libcli11-dev
  clang libclang-rt-14-dev
  tshark tcpreplay iproute2 jq libcap2-bin procps
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs whatever is missing; when not root, prints the apt-get line and stops.
ensure_packages() {
  local missing=()
  for p in "${VIGIL_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "Vigil needs these Debian packages: ${missing[*]}" >&2
    echo "Install them as root, then run this again:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  log "installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections || true
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

jobs() { nproc 2>/dev/null || echo 2; }

# configure_and_build DIR [cmake args...]: incremental configure + build into DIR.
# $VIGIL_BUILD_TARGET, when set, builds only that target (e.g. vigil_fuzzers: the fuzzers alone).
configure_and_build() {
  local dir="$1"; shift
  log "building $dir"
  cmake -S "$VIGIL_ROOT" -B "$VIGIL_ROOT/$dir" -G Ninja "$@" >/dev/null
  cmake --build "$VIGIL_ROOT/$dir" -j "$(jobs)" ${VIGIL_BUILD_TARGET:+--target "$VIGIL_BUILD_TARGET"}
}
