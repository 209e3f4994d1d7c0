#!/usr/bin/env bash
# Makes the upgrade test's fixture: the databases of a platform run by the first release (tag v0.1.0, commit d165511)
# after a short season played through its public API, as plain SQL dumps in tests/Antq.Deploy.Tests/Upgrade/v0.1.0/.
#
#   tests/Antq.Deploy.Tests/Upgrade/make-fixture.sh
#
# It builds the release's services from `git archive v0.1.0` in a folder of its own, runs them on their own ports
# (ANTQ_FIXTURE_PORT, 57110: it uses the nine ports from there) against PostgreSQL and RabbitMQ given as the tests
# take them (ANTQ_TEST_PG, ANTQ_TEST_AMQP, ANTQ_TEST_RABBIT_API), on databases and a virtual host of its own that it
# drops afterwards, and plays: the demo province (Thanh Hóa, five communes) imported, officers created (audited),
# reports saved, submitted, returned, submitted again and accepted, a province plan whose 2026-H1 deadline falls a few
# minutes later (ANTQ_FIXTURE_DEADLINE_MINUTES, 6), a commune's contact point with a webhook secret, then the deadline
# passing: the communes' periods close at once (their own units' deadlines, derived days earlier, have passed), then
# the province's (the snapshot of its roll-up, the draft of its own report). It waits until every outbox is delivered,
# stops the services and dumps each database. It takes about 10 minutes, most of it waiting for the deadline.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
RELEASE="${ANTQ_FIXTURE_RELEASE:-v0.1.0}"
OUT="$HERE/$RELEASE"
BASE="${ANTQ_FIXTURE_PORT:-57110}"
DEADLINE_MINUTES="${ANTQ_FIXTURE_DEADLINE_MINUTES:-6}"
PG="${ANTQ_TEST_PG:?ANTQ_TEST_PG is not set (Host=…;Port=…;Username=…;Password=…)}"
AMQP="${ANTQ_TEST_AMQP:?ANTQ_TEST_AMQP is not set (amqp://user:password@host:port)}"
RABBIT_API="${ANTQ_TEST_RABBIT_API:?ANTQ_TEST_RABBIT_API is not set (http://host:port)}"

pg_part() { tr ';' '\n' <<<"$PG" | grep -i "^$1=" | head -1 | cut -d= -f2-; }
PGHOST="$(pg_part Host)"; PGPORT="$(pg_part Port)"; PGUSER="$(pg_part Username)"; PGPASSWORD="$(pg_part Password)"
export PGHOST PGPORT PGUSER PGPASSWORD

say() { printf '[fixture] %s\n' "$*"; }
die() { printf '[fixture] %s\n' "$*" >&2; exit 1; }

git -C "$ROOT" rev-parse -q --verify "$RELEASE^{commit}" >/dev/null || die "$RELEASE is not in this clone (git tag v0.1.0 d165511, or git fetch --tags)"
WORK="$(mktemp -d)"; SRC="$WORK/src"; mkdir -p "$SRC" "$WORK/logs" "$WORK/mail"
PIDS=()
VHOST="antq-fixture-$$"
NAMES=(identity plan reporting classification notification)
db_of() { echo "antq_fixture_${1}_$$"; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 2
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for name in "${NAMES[@]}"; do psql -d postgres -qc "drop database if exists \"$(db_of "$name")\" with (force)" >/dev/null 2>&1 || true; done
  curl -fsS -u guest:guest -X DELETE "$RABBIT_API/api/vhosts/$VHOST" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${ANTQ_FIXTURE_SOURCE:-}" ]; then
  SRC="$ANTQ_FIXTURE_SOURCE"   # a copy of the release already built (git archive v0.1.0 | tar -x; dotnet build AntqPlatform.Services.slnf -c Release)
else
  say "building $RELEASE ($(git -C "$ROOT" rev-parse --short "$RELEASE")) in $SRC"
  git -C "$ROOT" archive "$RELEASE" | tar -x -C "$SRC"
  (cd "$SRC" && dotnet build AntqPlatform.Services.slnf -c Release -nologo -v q -clp:ErrorsOnly) >"$WORK/logs/build.log" 2>&1 \
    || { tail -30 "$WORK/logs/build.log" >&2; die "the build of $RELEASE failed"; }
fi

for name in "${NAMES[@]}"; do psql -d postgres -qc "create database \"$(db_of "$name")\"" >/dev/null; done
curl -fsS -u guest:guest -X PUT -H 'content-type: application/json' -d '{}' "$RABBIT_API/api/vhosts/$VHOST" >/dev/null
curl -fsS -u guest:guest -X PUT -H 'content-type: application/json' -d '{"configure":".*","write":".*","read":".*"}' "$RABBIT_API/api/permissions/$VHOST/guest" >/dev/null

GATEWAY="http://127.0.0.1:$((BASE + 8))"
SMTP_PORT=$((BASE + 9))
ADMIN_PASSWORD="Fixture@Admin2026"
/usr/bin/python3 "$ROOT/deploy/smtp-catcher.py" --host 127.0.0.1 --port "$SMTP_PORT" --dir "$WORK/mail" >"$WORK/logs/smtp.log" 2>&1 &
PIDS+=($!)

port_of() { case "$1" in identity) echo $((BASE + 1)) ;; plan) echo $((BASE + 2)) ;; reporting) echo $((BASE + 3)) ;;
  classification) echo $((BASE + 4)) ;; notification) echo $((BASE + 5)) ;; gateway) echo $((BASE + 8)) ;; esac; }
project_of() { case "$1" in identity) echo services/Identity/Antq.Identity.Api ;; plan) echo services/Plan/Antq.Plan.Api ;;
  reporting) echo services/Reporting/Antq.Reporting.Api ;; classification) echo services/Classification/Antq.Classification.Api ;;
  notification) echo services/Notification/Antq.Notification.Api ;; gateway) echo gateway/Antq.Gateway ;; esac; }

start() { # start NAME
  local name="$1" port project envs=()
  port="$(port_of "$name")"; project="$(project_of "$name")"
  envs+=("ASPNETCORE_URLS=http://127.0.0.1:$port" "Urls=http://127.0.0.1:$port" "ASPNETCORE_ENVIRONMENT=Production" "ANTQ_MODE=local"
    "ConnectionStrings__rabbitmq=${AMQP%/}/$VHOST" "Auth__Issuer=$GATEWAY/" "Auth__JwksUri=http://127.0.0.1:$(port_of identity)/.well-known/jwks"
    "Identity__SigningKeyFile=$WORK/identity-signing.pem" "ANTQ_ADMIN_PASSWORD=$ADMIN_PASSWORD"
    "Notification__Smtp__Host=127.0.0.1" "Notification__Smtp__Port=$SMTP_PORT" "Notification__Webhooks__AllowedNetworks__0=127.0.0.0/8")
  [ "$name" = gateway ] || envs+=("ConnectionStrings__$name=Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$(db_of "$name")")
  if [ "$name" = gateway ]; then
    for backend in "${NAMES[@]}"; do envs+=("ReverseProxy__Clusters__${backend}__Destinations__d1__Address=http://127.0.0.1:$(port_of "$backend")/"); done
  fi
  (cd "$SRC/$project" && exec env "${envs[@]}" dotnet "bin/Release/net10.0/$(basename "$project").dll" >"$WORK/logs/$name.log" 2>&1 </dev/null) &
  PIDS+=($!)
}

for name in "${NAMES[@]}"; do start "$name"; done
for name in "${NAMES[@]}"; do
  for i in $(seq 1 180); do
    curl -fsS -o /dev/null "http://127.0.0.1:$(port_of "$name")/health/ready" 2>/dev/null && break
    [ "$i" = 180 ] && { tail -30 "$WORK/logs/$name.log" >&2; die "$name of $RELEASE not ready"; }
    sleep 1
  done
done
start gateway
for i in $(seq 1 60); do curl -fsS -o /dev/null "$GATEWAY/health/live" 2>/dev/null && break; sleep 1; done
say "the services of $RELEASE are ready"

token() { # token USER PASSWORD
  curl -fsS -d grant_type=password -d client_id=antq-cli -d username="$1" --data-urlencode "password=$2" "$GATEWAY/connect/token" | jq -r .access_token
}
call() { # call TOKEN METHOD PATH [JSON [IF-MATCH]]: fails on anything but 2xx, printing the answer
  local out status; out="$(mktemp)"
  status="$(curl -sS -o "$out" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
    ${5:+-H "If-Match: $5"} ${4:+--data-binary "$4"} "$GATEWAY$3")"
  case "$status" in 2*) cat "$out"; rm -f "$out" ;; *) echo "$2 $3 answered $status: $(cat "$out")" >&2; rm -f "$out"; return 1 ;; esac
}
save() { # save TOKEN PATH JSON: a report saved whatever version it has (If-Match: *), made when it does not exist yet
  call "$1" PUT "$2" "$3" '*'
}
eventually() { # eventually SECONDS CMD...: until CMD succeeds
  local limit="$1"; shift
  for _ in $(seq 1 "$limit"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  "$@"
}

admin="$(token admin "$ADMIN_PASSWORD")"
say "importing the demo province"
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  --data-binary "@$SRC/deploy/demo/units-demo.json" "$GATEWAY/api/org-units/import?effectiveFrom=2025-07-01"
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: text/csv; charset=utf-8' \
  --data-binary "@$SRC/deploy/demo/units-demo.csv" "$GATEWAY/api/org-units/import?effectiveFrom=2025-07-01"

PASSWORD="Fixture@User2026"
user() { # user USERNAME ROLE UNIT NAME EMAIL
  call "$admin" POST /api/users "$(jq -nc --arg u "$1" --arg p "$PASSWORD" --arg r "$2" --arg c "$3" --arg n "$4" --arg e "$5" \
    '{username:$u,password:$p,role:$r,orgUnitCode:$c,fullName:$n,email:$e}')" >/dev/null
}
user pv01.thanhhoa ProvinceOfficer 38 "Phòng PV01 Công an tỉnh Thanh Hóa" pv01@thanhhoa.example
COMMUNES=(14758 14797 14812 14845 14848)
for code in "${COMMUNES[@]}"; do user "xa.$code" CommuneOfficer "$code" "Công an xã $code" "xa$code@thanhhoa.example"; done
user xem.thanhhoa Viewer 38 "Lãnh đạo Công an tỉnh (chỉ xem)" xem@thanhhoa.example

# The reports before the plan: once the plan is issued, the communes' own units (villages, schools) get deadlines
# derived days before the communes' own, already past, and each commune's period closes at once.
say "reports: saved, submitted, returned, submitted again, accepted"
province="$(token pv01.thanhhoa "$PASSWORD")"
eventually 120 save "$(token xa.14758 "$PASSWORD")" /api/reports/14758/2026-H1 '{"values":{"TIPS_TOTAL":1}}'
i=0
for code in "${COMMUNES[@]:0:4}"; do
  i=$((i + 1))
  t="$(token "xa.$code" "$PASSWORD")"
  save "$t" "/api/reports/$code/2026-H1" "{\"values\":{\"TIPS_TOTAL\":$((i * 3))},\"narrative\":{\"KET_QUA\":\"Kết quả của xã $code\"}}" >/dev/null
  save "$t" "/api/reports/$code/2026-H1" "{\"values\":{\"TIPS_TOTAL\":$((i * 3 + 1))},\"narrative\":{\"KET_QUA\":\"Kết quả của xã $code, đã sửa\"}}" >/dev/null
  call "$t" POST "/api/reports/$code/2026-H1/submit" >/dev/null
done
call "$province" POST /api/reports/14797/2026-H1/return '{"reason":"Thiếu số liệu tố giác"}' >/dev/null
t="$(token xa.14797 "$PASSWORD")"
save "$t" /api/reports/14797/2026-H1 '{"values":{"TIPS_TOTAL":9},"narrative":{"KET_QUA":"Đã bổ sung"}}' >/dev/null
call "$t" POST /api/reports/14797/2026-H1/submit >/dev/null
for code in 14758 14797 14812; do call "$province" POST "/api/reports/$code/2026-H1/accept" >/dev/null; done
# 14845 stays submitted (not yet reviewed) and 14848 sends nothing (missing at the closing).

# The 2026-H1 deadline a few minutes from now (Vietnam time), the annual one next year.
due="$(TZ=Asia/Ho_Chi_Minh date -d "+$DEADLINE_MINUTES minutes" +%Y-%m-%dT%H:%M:%S+07:00)"
today="$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-%d)"
say "a province plan with the 2026-H1 deadline at $due"
plan="$(call "$admin" POST /api/plans "$(jq -nc --arg due "$due" --arg today "$today" '{number:"09/KH-CAT-PV01",
  title:"Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026", issuedOn:$today, issuerCode:"38", year:2026,
  deadlines:{"2026-H1":$due, "2026-Y":"2027-01-20"}, targets:[{indicator:"TIPS_TOTAL", comparator:">=", value:20, scope:"subtree"}]}')" | jq -r .id)"
call "$admin" POST "/api/plans/$plan/issue" >/dev/null
eventually 60 call "$province" GET /api/deadlines/14758/2026-H1

call "$(token xa.14758 "$PASSWORD")" PUT /api/contact-points/14758 \
  '{"emails":["xa14758@thanhhoa.example"],"webhookUrl":"http://127.0.0.1:9/hook","webhookSecret":"bi-mat-cua-xa-14758"}' >/dev/null \
  || say "the contact point was not set (the release may name its fields otherwise)"

say "waiting for the deadline ($due) and the province's closing"
closings() { psql -d "$(db_of reporting)" -Atqc "select count(*) from period_closings where org_unit_code = '38'"; }
for _ in $(seq 1 $((DEADLINE_MINUTES * 60 + 180))); do [ "$(closings)" -gt 0 ] && break; sleep 1; done
[ "$(closings)" -gt 0 ] || die "no closing within the wait (log: reporting)"
[ "$(psql -d "$(db_of reporting)" -Atqc "select count(*) from rollup_cells")" -gt 0 ] || die "no roll-up: the season did not reach the province"
# After the closing, a commune's annual draft, so the fixture also holds a report the closing did not freeze.
save "$(token xa.14758 "$PASSWORD")" /api/reports/14758/2026-Y '{"values":{"TIPS_TOTAL":4}}' >/dev/null \
  || say "no annual draft (the annual period is not open for entry yet)"

say "waiting for every outbox to be delivered"
pending() {
  local total=0 n
  for name in "${NAMES[@]}"; do
    n="$(psql -d "$(db_of "$name")" -Atqc "select count(*) from outbox_messages where sent_at is null" 2>/dev/null || echo 0)"
    total=$((total + n))
  done
  echo "$total"
}
for _ in $(seq 1 120); do [ "$(pending)" = 0 ] && break; sleep 1; done
sleep 5
[ "$(pending)" = 0 ] || die "outboxes not delivered"

for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
PIDS=()

mkdir -p "$OUT"
rm -f "$OUT"/*.sql.gz
for name in "${NAMES[@]}"; do
  pg_dump -d "$(db_of "$name")" --no-owner --no-privileges | gzip -9n > "$OUT/$name.sql.gz"
done
{
  echo "release $RELEASE"
  echo "commit $(git -C "$ROOT" rev-parse "$RELEASE^{commit}")"
  echo "made $(date -u +%Y-%m-%dT%H:%M:%SZ) by tests/Antq.Deploy.Tests/Upgrade/make-fixture.sh"
  echo "postgresql $(psql -d postgres -Atqc 'show server_version')"
} > "$OUT/FIXTURE.txt"
say "fixture written to $OUT ($(du -sh "$OUT" | cut -f1))"
