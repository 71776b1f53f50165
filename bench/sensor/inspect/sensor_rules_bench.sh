#!/usr/bin/env bash
# Whole-sensor throughput with a rule set: vigil-sensor, one worker (--runmode single), on each
# input, with and without the rules; plus the rule load + compile time (-T, best of 3).
#
#   bench/sensor/inspect/sensor_rules_bench.sh [BUILD_DIR] [INPUT...]
#
# BUILD_DIR defaults to build; inputs default to ../shared/corpus/pcaps (the 4 corpus pcaps as
# one run). Rules: $RULES (default ../shared/corpus/rules/et-open-2018/et-open-2018.rules) with
# its classification.config. Synthesized HTTP-heavy traffic for an input:
#   vigil-synth --out /tmp/http.pcap --size 300MB --seed 7 --mix http=90,dns=5,tls=5 --attacks 12
# Figures are the sensor's own summary (pipeline wall time, rule loading excluded); the load
# average is printed with them because the machine is shared.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
BUILD="${1:-build}"
shift || true
BIN="$ROOT/$BUILD/bin/vigil-sensor"
RULES="${RULES:-$ROOT/../shared/corpus/rules/et-open-2018/et-open-2018.rules}"
CLASSES="${CLASSES:-$(dirname "$RULES")/classification.config}"
INPUTS=("$@")
[[ ${#INPUTS[@]} -eq 0 ]] && INPUTS=("$ROOT/../shared/corpus/pcaps")
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
SETS=(--set "classification-file=$CLASSES" --set stats.enabled=no)

echo "== rule load + compile ($RULES), -T, best of 3"
best=""
load_cpu=""
for _ in 1 2 3; do
  s=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$OUT/load_cpu.txt" "$BIN" -T -S "$RULES" "${SETS[@]}" >/dev/null 2>"$OUT/load.txt"
  e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc)
  c=$(awk '{print $1 + $2}' "$OUT/load_cpu.txt")
  if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
  if [[ -z "$load_cpu" ]] || (( $(echo "$c < $load_cpu" | bc) )); then load_cpu=$c; fi
done
head -1 "$OUT/load.txt"
echo "load wall (best): ${best} s, load CPU user+sys (best): ${load_cpu} s"

run() {  # label, input, extra args...
  local label="$1" input="$2"
  shift 2
  rm -f "$OUT/eve.json"
  /usr/bin/time -f "%M KiB max RSS, CPU %U user %S sys" "$BIN" -r "$input" -l "$OUT" -k none --runmode single \
    "${SETS[@]}" "$@" >"$OUT/sum.txt" 2>"$OUT/err.txt" || { cat "$OUT/err.txt"; return 1; }
  local pk by alerts
  pk=$(grep -E '^  packets' "$OUT/sum.txt" | sed -E 's/ +/ /g')
  by=$(grep -E '^  bytes' "$OUT/sum.txt" | sed -E 's/ +/ /g')
  alerts=$(grep -c '"event_type":"alert"' "$OUT/eve.json" || true)
  # Per CPU-second: the input's bits over user+sys CPU, minus the rule load CPU for rule runs
  # (the machine is shared, so CPU time is steadier than wall time).
  local bytes cpu load per_cpu
  bytes=$(grep -E '^  bytes' "$OUT/sum.txt" | awk '{print $2}')
  cpu=$(tail -1 "$OUT/err.txt" | sed -E 's/.*CPU ([0-9.]+) user ([0-9.]+) sys.*/\1 \2/')
  load=0
  [[ "$label" != "no rules" ]] && load=$load_cpu
  per_cpu=$(echo "$bytes $cpu $load" | awk '{c = $2 + $3 - $4; if (c > 0) printf "%.3f", $1 * 8 / c / 1e9; else print "?"}')
  printf '%-10s %s |%s |%s | alerts %s | %s | %s Gbit/s per CPU-second\n' "$label" \
    "$(basename "$input")" "$pk" "$by" "$alerts" "$(tail -1 "$OUT/err.txt")" "$per_cpu"
}

for input in "${INPUTS[@]}"; do
  echo "== $input   ($(uptime | sed 's/.*load/load/'))"
  run "no rules" "$input"
  run "ET 2018" "$input" -S "$RULES"
done
