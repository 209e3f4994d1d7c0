# shellcheck shell=bash
# deploy/antq backup [FILE] | restore FILE: the whole platform of one machine in one file, and back onto a wiped machine.
# Sourced by deploy/antq (it uses its say, die, pid_alive, start_postgres, start_rabbitmq, create_vhost, rabbit_api,
# SERVICES, STATE, RUN and PG_* settings). docs/operations.md is the runbook.
#
# A backup is a tar file (mode 600: it holds the keys) of
#   manifest.txt             "antq-backup 1", when, from which commit, each database with its newest migration
#   db/NAME.dump             pg_dump -Fc of each service's database (its Data Protection keys, which encrypt the
#                            webhook secrets and Identity's own protected data, are rows of that database)
#   state/keys/...           Identity's token signing key (.antq/keys/identity-signing.pem) and any other key file there
#   state/admin-password, state/demo-clock, state/demo-accounts.txt   when present
#   broker/definitions.json  the virtual host's exchanges, queues and bindings (no messages), when the broker answers
#
# Consistency across databases. Each database is dumped in one snapshot of its own while the platform keeps running
# (no downtime); the five snapshots are taken one after the other, seconds apart. Between them messages travel: a
# message one service published (its outbox row marked sent) may be missing from the consumer's snapshot, because the
# consumer handled it after its own dump or because it was still in the broker, whose messages are not backed up.
# The platform's own delivery guarantee closes that gap on restore: every outbox row sent within the replay window
# (ANTQ_BACKUP_REPLAY_MINUTES, 10 minutes by default) before the newest outbox row of the backup is put back as unsent,
# so that it is published again once the services start; a consumer whose snapshot already holds the message finds it
# in its inbox and changes nothing, one whose snapshot lacks it handles it then. The broker's definitions are restored
# before any service starts, so that every consumer's queue is bound when those messages are published again.
# Messages that waited in the broker longer than the window (a consumer down for longer) or sat in an _error queue are
# not in the backup: the backup counts them and says so (back up again once the queues are empty, or widen the window).

BACKUP_FORMAT="antq-backup 1"
REPLAY_MINUTES="${ANTQ_BACKUP_REPLAY_MINUTES:-10}"

backup_psql() { # backup_psql DB SQL: one value per line, unaligned
  PGPASSWORD="$PG_PASSWORD" PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$1" -v ON_ERROR_STOP=1 -Atqc "$2"
}

backup_tool() { # the PostgreSQL client tool of the newest installed server version (pg_dump must not be older than the server)
  local bin; bin="$(pg_bin)"
  if [ -n "$bin" ] && [ -x "$bin/$1" ]; then echo "$bin/$1"; else command -v "$1" || die "$1 is missing (Debian's postgresql-client)"; fi
}

# The databases, as "name=database" pairs: those of SERVICES, or ANTQ_BACKUP_DATABASES (tests, or a server that holds
# the databases under other names). A backup keeps the service name, so it restores onto whatever names this machine uses.
backup_databases() {
  if [ -n "${ANTQ_BACKUP_DATABASES:-}" ]; then tr ' ' '\n' <<<"$ANTQ_BACKUP_DATABASES" | sed '/^$/d'; return; fi
  local entry name db
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ db <<<"$entry"
    [ -n "$db" ] && echo "$name=$db"
  done
  return 0
}

# The files under the state folder a restored platform needs: without the signing key every token and every code
# issued before is void, and the demo clock keeps a local-mode platform on the day its data was made.
BACKUP_STATE_FILES=(keys admin-password demo-clock demo-accounts.txt)

backup_running_services() { # the platform's processes this checkout started and that still run
  local pidfile name
  for pidfile in "$RUN"/*.pid; do
    [ -e "$pidfile" ] || continue
    name="$(basename "$pidfile" .pid)"
    [ "$name" = smtp-catcher ] && continue
    pid_alive "$pidfile" && echo "$name"
  done
  return 0
}

backup_vhost() { echo "${ANTQ_VHOST:-antq}"; }

cmd_backup() {
  local file="${1:-}"
  [ $# -le 1 ] || die "usage: deploy/antq backup [FILE]"
  if [ -z "$file" ]; then mkdir -p "$STATE/backups"; file="$STATE/backups/antq-$(date -u +%Y%m%dT%H%M%SZ).tar"; fi
  [ -e "$file" ] && die "backup: $file already exists; name another file"
  mkdir -p "$(dirname "$file")"
  file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
  mkdir -p "$LOGS" "$RUN"
  start_postgres

  local work; work="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '$work' '$file.partial'" EXIT
  mkdir -p "$work/db" "$work/state" "$work/broker"
  local pg_dump_bin; pg_dump_bin="$(backup_tool pg_dump)"
  local started; started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  {
    echo "$BACKUP_FORMAT"
    echo "created $started"
    echo "commit $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "version $(git -C "$ROOT" describe --tags --always --dirty 2>/dev/null || echo unknown)"
    echo "postgresql $(backup_psql postgres 'show server_version')"
    echo "replay-minutes $REPLAY_MINUTES"
  } > "$work/manifest.txt"

  local pair name db exists head
  while IFS= read -r pair; do
    name="${pair%%=*}"; db="${pair#*=}"
    exists="$(backup_psql postgres "select 1 from pg_database where datname = '$db'")"
    [ "$exists" = 1 ] || die "backup: the database $db ($name) does not exist on 127.0.0.1:$PG_PORT"
    say "dumping $db"
    PGPASSWORD="$PG_PASSWORD" "$pg_dump_bin" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$db" -Fc --no-owner --no-privileges \
      -f "$work/db/$name.dump" 2>"$LOGS/backup-$name.log" || { cat "$LOGS/backup-$name.log" >&2; die "backup: pg_dump of $db failed"; }
    head="$(backup_psql "$db" "select coalesce(max(migration_id), '-') from __ef_migrations_history" 2>/dev/null || echo -)"
    echo "database $name $db $head" >> "$work/manifest.txt"
  done < <(backup_databases)

  local f
  for f in "${BACKUP_STATE_FILES[@]}"; do
    [ -e "$STATE/$f" ] || continue
    cp -a "$STATE/$f" "$work/state/"
    echo "state $f" >> "$work/manifest.txt"
  done
  [ -e "$STATE/keys/identity-signing.pem" ] || say "warning: no Identity signing key in $STATE/keys (a platform configured with Identity:SigningKeyPem keeps it elsewhere: keep that secret with the backup)"

  # The broker: its definitions so that queues are bound before any service publishes again; what waits in it is counted.
  local vhost; vhost="$(backup_vhost)"
  if rabbit_api "definitions/$vhost" > "$work/broker/definitions.json" 2>/dev/null; then
    echo "broker $vhost" >> "$work/manifest.txt"
    local waiting dead
    waiting="$(rabbit_api "queues/$vhost" 2>/dev/null | jq '[.[] | select(.name | endswith("_error") | not) | (.messages // 0)] | add // 0')" || waiting="?"
    dead="$(rabbit_api "queues/$vhost" 2>/dev/null | jq '[.[] | select(.name | endswith("_error")) | (.messages // 0)] | add // 0')" || dead="?"
    echo "broker-waiting $waiting" >> "$work/manifest.txt"
    echo "broker-dead-letters $dead" >> "$work/manifest.txt"
    [ "$waiting" = 0 ] || [ "$waiting" = "?" ] || say "warning: $waiting messages waited in the broker's queues: a message older than $REPLAY_MINUTES minutes among them is not in this backup (back up again once the queues are empty)"
    [ "$dead" = 0 ] || [ "$dead" = "?" ] || say "warning: $dead dead letters in _error queues are not in this backup (deploy/antq dead-letters)"
  else
    rm -f "$work/broker/definitions.json"
    say "warning: RabbitMQ does not answer on 127.0.0.1:$RABBIT_API_PORT: the backup holds no broker definitions (a restore lets the services declare them)"
  fi
  echo "finished $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$work/manifest.txt"

  (umask 077; tar -C "$work" -cf "$file.partial" manifest.txt db state broker) || die "backup: could not write $file"
  mv "$file.partial" "$file"
  trap - EXIT; rm -rf "$work"
  say "backup written: $file ($(du -h "$file" | cut -f1)); it holds the signing keys: keep it as safe as they are"
}

# restore FILE [--replace]: onto a wiped machine (deploy/antq down --wipe), or over this machine's databases with --replace.
cmd_restore() {
  local file="" replace=""
  while [ $# -gt 0 ]; do case "$1" in --replace) replace=1; shift ;; -*) die "restore: unknown option $1" ;; *) [ -z "$file" ] || die "usage: deploy/antq restore FILE [--replace]"; file="$1"; shift ;; esac; done
  [ -n "$file" ] || die "usage: deploy/antq restore FILE [--replace]"
  [ -f "$file" ] || die "restore: $file does not exist"
  local first; first="$(tar -xOf "$file" manifest.txt 2>/dev/null | head -1)" || true
  [ "$first" = "$BACKUP_FORMAT" ] || die "restore: $file is not a backup of deploy/antq backup (no \"$BACKUP_FORMAT\" manifest)"
  local running; running="$(backup_running_services | paste -sd' ')"
  [ -z "$running" ] || die "restore: the platform is running ($running): stop it first with deploy/antq down"

  mkdir -p "$LOGS" "$RUN"
  local work; work="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  tar -C "$work" -xf "$file" || die "restore: $file could not be read"

  start_postgres
  # Every check before the first change: a restore that stops half-way leaves a machine neither wiped nor restored.
  local pair name db exists tables sessions
  while IFS= read -r pair; do
    name="${pair%%=*}"; db="${pair#*=}"
    [ -f "$work/db/$name.dump" ] || die "restore: the backup has no database for $name"
    exists="$(backup_psql postgres "select 1 from pg_database where datname = '$db'")"
    [ "$exists" = 1 ] || continue
    sessions="$(backup_psql postgres "select count(*) from pg_stat_activity where datname = '$db' and pid <> pg_backend_pid()")"
    [ "$sessions" = 0 ] || die "restore: the platform is running ($sessions connections to $db): stop it first with deploy/antq down"
    tables="$(backup_psql "$db" "select count(*) from pg_tables where schemaname = 'public'")"
    [ "$tables" = 0 ] || [ -n "$replace" ] || die "restore: the database $db already holds data: restore onto a wiped machine (deploy/antq down --wipe) or add --replace"
  done < <(backup_databases)

  local pg_restore_bin; pg_restore_bin="$(backup_tool pg_restore)"
  while IFS= read -r pair; do
    name="${pair%%=*}"; db="${pair#*=}"
    say "restoring $db"
    backup_psql postgres "drop database if exists \"$db\"" >/dev/null
    backup_psql postgres "create database \"$db\"" >/dev/null
    PGPASSWORD="$PG_PASSWORD" "$pg_restore_bin" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$db" --no-owner --no-privileges --exit-on-error \
      "$work/db/$name.dump" 2>"$LOGS/restore-$name.log" || { cat "$LOGS/restore-$name.log" >&2; die "restore: pg_restore of $db failed"; }
  done < <(backup_databases)
  backup_replay

  local f
  mkdir -p "$STATE"
  for f in "${BACKUP_STATE_FILES[@]}"; do
    [ -e "$work/state/$f" ] || continue
    rm -rf "${STATE:?}/$f"
    cp -a "$work/state/$f" "$STATE/"
  done
  [ -d "$STATE/keys" ] && chmod -R go-rwx "$STATE/keys"

  if [ -s "$work/broker/definitions.json" ]; then
    start_rabbitmq
    local vhost; vhost="$(backup_vhost)"
    create_vhost "$vhost"
    rabbit_api "definitions/$vhost" -X POST -H 'content-type: application/json' --data-binary "@$work/broker/definitions.json" >/dev/null \
      || die "restore: RabbitMQ refused the backup's definitions for the virtual host $vhost"
    say "broker: exchanges, queues and bindings of $vhost restored"
  fi
  trap - EXIT; rm -rf "$work"
  local how="deploy/antq up"; [ -s "$STATE/demo-clock" ] || how="deploy/antq up --no-demo"
  say "restored from $file ($(grep '^created ' <(tar -xOf "$file" manifest.txt) | cut -d' ' -f2), commit $(grep '^commit ' <(tar -xOf "$file" manifest.txt) | cut -d' ' -f2 | cut -c1-12)); start the platform with: $how"
}

# Puts back as unsent every outbox row sent within the replay window before the backup's newest outbox row (see the
# head of this file), and keeps the inbox rows of that window for another retention period, so that a consumer that
# already handled a message published again still finds it there however long after the backup the restore comes.
backup_replay() {
  local pair db newest="" t cutoff dbs=()
  while IFS= read -r pair; do dbs+=("${pair#*=}"); done < <(backup_databases)
  for db in "${dbs[@]}"; do
    backup_has_table "$db" outbox_messages || continue
    t="$(backup_psql "$db" "select coalesce(max(created_at)::text, '') from outbox_messages")"
    [ -n "$t" ] || continue
    if [ -z "$newest" ] || [ "$(backup_psql postgres "select '$t'::timestamptz > '$newest'::timestamptz")" = t ]; then newest="$t"; fi
  done
  [ -n "$newest" ] || return 0
  cutoff="$(backup_psql postgres "select ('$newest'::timestamptz - interval '$REPLAY_MINUTES minutes')::text")"
  local replayed kept
  for db in "${dbs[@]}"; do
    if backup_has_table "$db" outbox_messages; then
      replayed="$(backup_psql "$db" "with r as (update outbox_messages set sent_at = null, attempts = 0, last_error = null, next_attempt_at = '$cutoff'
        where sent_at >= '$cutoff' returning 1) select count(*) from r")"
      [ "$replayed" = 0 ] || say "$db: $replayed messages sent in the last $REPLAY_MINUTES minutes before the backup will be published again (inboxes drop those already handled)"
    fi
    if backup_has_table "$db" inbox_messages; then
      kept="$(backup_psql "$db" "with r as (update inbox_messages set processed_at = greatest(processed_at, now()) where processed_at >= '$cutoff' returning 1) select count(*) from r")"
      : "$kept"
    fi
  done
}

backup_has_table() { [ "$(backup_psql "$1" "select 1 from pg_tables where schemaname = 'public' and tablename = '$2'")" = 1 ]; }
