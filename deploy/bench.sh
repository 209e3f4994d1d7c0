#!/usr/bin/env bash
# Measurements against their references, in one run, on this machine. Called by `deploy/antq bench [args]` after it
# has started PostgreSQL and RabbitMQ, installed wrk and built the solution; prints a table and writes
# bench/results/latest.json.
#
#   deploy/antq bench                  # the whole run (about 10 minutes here)
#   deploy/antq bench --quick          # every part small, to check that it runs
#   (both end with the hostile upload corpus against Reporting and its peak memory: HostileUploadBench.cs)
#   deploy/antq bench --faults [MIN]   # the long fault run, about MIN minutes of faults (default 10); writes bench/results/faults.json:
#                                      # outages of MIN*10 s each (10 minutes in --faults 60): Notification's, Classification's and Plan's
#                                      # databases in turn, the PostgreSQL server, RabbitMQ; then both servers SIGKILLed and each process
#                                      # killed; deadlines passing inside outages (docs/benchmarks.md, Faults)
#
# Each step has a timeout. Only loopback traffic.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONFIGURATION="${ANTQ_CONFIGURATION:-Release}"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

PG_PORT="${ANTQ_PG_PORT:-55432}"
export ANTQ_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=${ANTQ_PG_USER:-antq};Password=${ANTQ_PG_PASSWORD:-antq};Database=postgres"
export ANTQ_TEST_AMQP="amqp://guest:guest@127.0.0.1:${ANTQ_AMQP_PORT:-55672}"
export ANTQ_TEST_RABBIT_API="http://127.0.0.1:${ANTQ_RABBIT_API_PORT:-55680}"
export ANTQ_TEST_STATE="${ANTQ_STATE_DIR:-$ROOT/.antq}"
export ANTQ_ROOT="$ROOT" ANTQ_CONFIGURATION="$CONFIGURATION"
[ -n "${ANTQ_SHARED_DIR:-}" ] && export ANTQ_SHARED_DIR
export DOTNET_CLI_TELEMETRY_OPTOUT=1

BENCH="$ROOT/bench/Antq.Bench/bin/$CONFIGURATION/net10.0/Antq.Bench.dll"
[ -f "$BENCH" ] || (cd "$ROOT" && dotnet build bench/Antq.Bench -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly)

started=$(date +%s)
step() { # step NAME TIMEOUT_SECONDS ARGS...: one run of the bench tool; keeps its RESULT/MEMORY lines, shows its log
  local name="$1" limit="$2"; shift 2
  echo "== $name" >&2
  if ! timeout --kill-after=20 "$limit" dotnet "$BENCH" "$@" >"$WORK/$name.out" 2> >(tee "$WORK/$name.log" >&2); then
    echo "   $name FAILED or timed out after ${limit}s" >&2
    echo "RESULT {\"name\": \"$name\", \"error\": \"failed or timed out after ${limit}s; see the run's output\"}" >>"$WORK/$name.out"
  fi
  grep -h '^RESULT ' "$WORK/$name.out" | sed 's/^RESULT //' >>"$WORK/results.jsonl" || true
  grep -h '^MEMORY ' "$WORK/$name.out" | sed 's/^MEMORY //' >>"$WORK/memory.jsonl" || true
}

if [ "${1:-}" = "--faults" ]; then
  minutes="${2:-10}"
  # The schedule takes about 62 s a minute (outages, gaps, restarts), plus the platform's start and the checks.
  step faults $(( minutes * 70 + 1500 )) faults --minutes "$minutes"
  result="$OUT/faults.json"
else
  quick=""; [ "${1:-}" = "--quick" ] && quick="--quick"
  step plantext 300 plantext --turns "$([ -n "$quick" ] && echo 1 || echo 5)"
  step platform 1500 platform $quick
  step bus 900 bus --messages "$([ -n "$quick" ] && echo 3000 || echo 20000)"
  step hostile 600 hostile
  result="$OUT/latest.json"
  # PostgreSQL and RabbitMQ at the end (resident set size of all their processes on the machine).
  for proc in postgres beam.smp; do
    kb=$(ps -C "$proc" -o rss= 2>/dev/null | awk '{s+=$1} END {print s+0}')
    echo "{\"process\": \"$proc (all processes of that name on the machine, RSS sum)\", \"working_set_mb\": $(awk "BEGIN {printf \"%.1f\", $kb/1024}")}" >>"$WORK/memory.jsonl"
  done
fi

python3 - "$WORK" "$result" "$(( $(date +%s) - started ))" <<'PY'
import json, os, platform, subprocess, sys
work, out, elapsed = sys.argv[1], sys.argv[2], int(sys.argv[3])
def lines(name):
    path = os.path.join(work, name)
    return [json.loads(l) for l in open(path)] if os.path.exists(path) else []
mem_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except StopIteration:
    cpu = platform.processor()
try:
    os_name = next(l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME"))
except (OSError, StopIteration):
    os_name = platform.platform()
dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
load = open("/proc/loadavg").read().split()[:3]
result = {
    "machine": {"cores": os.cpu_count(), "cpu": cpu, "memory": f"{mem_kb / 1048576:.1f} GiB", "os": f"{os_name}, kernel {platform.release()}",
                "dotnet": dotnet, "postgresql": pg, "load_average_at_end": " ".join(load)},
    "seconds": elapsed,
    "measurements": lines("results.jsonl"),
    "memory": lines("memory.jsonl"),
}
json.dump(result, open(out, "w"), indent=2, ensure_ascii=False)
def f(v, d=1):
    return "" if v is None else (f"{v:.{d}f}" if isinstance(v, (int, float)) else str(v))
print()
print(f"machine: {result['machine']['cores']} cores ({cpu}), {result['machine']['memory']}, {result['machine']['os']}, .NET {dotnet}, load {' '.join(load)}")
# The headlines: each figure the goals are set on, with its goal.
heads = []
for m in result["measurements"]:
    if "error" in m:
        continue
    if m["name"] == "ingest":
        if m.get("machine_cpu_ms_per_submission") is not None:
            heads.append(f"ingest CPU per submission, whole machine, both sides offered {f(m.get('cpu_rate_per_s'))}/s: ours {f(m.get('machine_cpu_ms_per_submission'), 2)} ms, "
                         f"bare {f(m.get('reference_machine_cpu_ms_per_request'), 2)} ms, bare/ours {f(m.get('cpu_ratio_reference_over_ours'), 3)} (goal >= 0.4)")
        heads.append(f"ingest highest sustained rate: ours {f(m.get('ours'))}/s, bare {f(m.get('reference'))}/s, ours/bare {f(m.get('ratio'), 3)} (goal >= 0.5); "
                     f"p99 at 70 %: {f(m.get('p99_ms'), 1)} ms (goal < 100)")
    elif m["name"] == "recompute":
        tier = "three-tier" if "three-tier" in m.get("units", "") else "two-tier"
        heads.append(f"recompute {tier}, ours/SQL: from empty {f(m.get('ratio'), 2)}, repair {f(m.get('repair_ratio'), 2)} (goal <= 1.5 on both)")
    elif m["name"] == "board":
        heads.append(f"submission to the live board (event heard, board read again): p50 {f(m.get('p50_ms'), 1)} ms, p99 {f(m.get('p99_ms'), 1)} ms; "
                     f"to the event alone p50 {f(m.get('event_p50_ms'), 1)} ms, p99 {f(m.get('event_p99_ms'), 1)} ms")
    elif m["name"] == "plantext":
        heads.append(f"plan reader, 2 MB of plan text: {f(m.get('ours'), 3)} s wall, {f(m.get('cpu_seconds_2mb'), 3)} s CPU (goal < 2 s); "
                     f"1 MB {f(m.get('wall_seconds_1mb'), 3)} s, 2 MB/1 MB {f(m.get('growth_2mb_over_1mb'), 2)} (linear: at most about 2; quadratic: about 4)")
    elif m["name"] == "hostile-uploads":
        heads.append(f"hostile uploads ({m.get('files')} crafted files x 3): Reporting peak {f(m.get('reporting_peak_mb'), 0)} MB from {f(m.get('reporting_before_mb'), 0)} MB "
                     f"(bound {f(m.get('peak_bound_mb'), 0)} MB); all 4xx: {m.get('all_4xx')}; {m.get('statuses')}")
    elif m["name"] == "bus":
        heads.append(f"bus through the outbox and inbox: {f(m.get('ours'))}/s, raw RabbitMQ.Client {f(m.get('reference'))}/s, ratio {f(m.get('ratio'), 3)} (goal >= 0.35)")
        for path, cpu in (m.get("cpu_ms_per_message") or {}).items():
            heads.append(f"bus CPU ms per message, {path}: " + ", ".join(f"{k} {v}" for k, v in cpu.items()))
    elif m["name"] == "gateway":
        heads.append(f"gateway: {f(m.get('ratio'), 3)} of direct throughput (bare YARP {f(m.get('bare_proxy_ratio'), 3)}); one request at a time "
                     f"+{f(m.get('added_p50_ms_one_at_a_time'), 3)} ms over direct, bare YARP +{f(m.get('bare_proxy_added_p50_ms_one_at_a_time'), 3)} ms")
        for path, cpu in (m.get("cpu_ms_per_request") or {}).items():
            heads.append(f"gateway CPU ms per request, {path}: " + ", ".join(f"{k} {v}" for k, v in cpu.items()))
for h in heads:
    print("headline: " + h)
print(f"{'name':<10} {'ours':>10} {'reference':>10} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'s':>6}  units")
for m in result["measurements"]:
    if "error" in m:
        print(f"{m['name']:<10} ERROR: {m['error']}"); continue
    print(f"{m['name']:<10} {f(m.get('ours')):>10} {f(m.get('reference')):>10} {f(m.get('ratio'), 3):>6} {f(m.get('p50_ms'), 2):>8} "
          f"{f(m.get('p99_ms'), 2):>8} {f(m.get('max_ms'), 2):>8} {f(m.get('seconds')):>6}  {m.get('units', '')}")
    extra = {k: v for k, v in m.items() if k not in ("name", "ours", "reference", "ratio", "p50_ms", "p99_ms", "max_ms", "seconds", "units")}
    if extra: print(" " * 11 + ", ".join(f"{k} {v}" for k, v in extra.items()))
if result["memory"]:
    print("memory at the end:")
for m in result["memory"]:
    print(f"  {m['process']}: {m.get('working_set_mb')} MB" + (f" (peak {m['peak_working_set_mb']} MB)" if "peak_working_set_mb" in m else ""))
print(f"written: {os.path.relpath(out)} (whole run {elapsed} s)")
failed = [m for m in result["measurements"] if "error" in m or m.get("problems") or m.get("within_bound") is False]
sys.exit(1 if failed else 0)
PY
