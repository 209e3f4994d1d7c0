# shellcheck shell=bash
# deploy/antq cluster test [--per-second N] [--down S] [--stopped S]: the fault run against a running cluster. Sourced by
# deploy/cluster.sh. Builds bench/Antq.Bench (Release) and runs its cluster-faults mode (ClusterFaults.cs): commune
# submissions through the gateway while a service replica is killed and started, a RabbitMQ node is killed (its quorum
# queues must keep a leader on the other nodes) and started, and the second replica of every process is stopped for a
# minute; then every 2xx submission must be submitted and counted once in the roll-ups, notified once (one notice, one
# digest, one e-mail but for the repeat a kill of Notification allows: the process fault run's check, reading
# Notification's database over TLS and the catcher's mail folder), every outbox empty and every error queue empty. Prints the counts as one JSON line (RESULT ...) and exits non-zero on a problem.
cluster_faults() {
  local per_second=3 down=15 stopped=60
  while [ $# -gt 0 ]; do case "$1" in
    --per-second) per_second="$2"; shift 2 ;;
    --down) down="$2"; shift 2 ;;
    --stopped) stopped="$2"; shift 2 ;;
    *) die "cluster test: unknown option $1" ;; esac; done
  curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$CLUSTER_PORT/health/ready" || die "no cluster answers on 127.0.0.1:$CLUSTER_PORT (deploy/antq cluster up)"
  say "building the fault driver (bench/Antq.Bench)"
  (cd "$ROOT" && dotnet build bench/Antq.Bench/Antq.Bench.csproj -c Release -nologo -v q -clp:ErrorsOnly) >"$LOGS/cluster-faults-build.log" 2>&1 \
    || { tail -20 "$LOGS/cluster-faults-build.log" >&2; die "building bench/Antq.Bench failed"; }
  local processes; processes="$(cluster_backends | paste -sd, -)"
  say "fault run: $per_second submissions/s, faults of $down s, replicas stopped for $stopped s"
  ANTQ_SHARED_DIR="$SHARED_DIR" ANTQ_ROOT="$ROOT" dotnet "$ROOT/bench/Antq.Bench/bin/$CONFIGURATION/net10.0/Antq.Bench.dll" cluster-faults \
    --gateway "http://127.0.0.1:$CLUSTER_PORT/" --admin-password-file "$CLUSTER_SECRETS/admin-password" --prefix "$CLUSTER_PREFIX" \
    --processes "$processes" --per-second "$per_second" --down "$down" --stopped "$stopped" \
    --notification-db "$(cluster_pg_connection notification "$(cluster_ip "$CLUSTER_PREFIX-pg")" "$CLUSTER_SECRETS/tls/ca.crt")" \
    --mail-dir "$CLUSTER_DIR/mail"
}
