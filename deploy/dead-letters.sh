#!/usr/bin/env bash
# Dead letters through the gateway's API (administrator account):
#   deploy/dead-letters.sh list              every dead letter: what, where, why, since when (GET /api/dead-letters)
#   deploy/dead-letters.sh redrive ID        send one back (POST /api/dead-letters/ID/redrive)
#   deploy/dead-letters.sh redrive --all     send every one back (POST /api/dead-letters/redrive)
# A dead letter is a consumer's message in an _error queue (it failed for its own reasons) or an outbox row parked
# after Outbox:MaxRefusals refusals. Needs ANTQ_GATEWAY and ANTQ_ADMIN_PASSWORD (deploy/antq sets both).
set -euo pipefail

: "${ANTQ_GATEWAY:?ANTQ_GATEWAY is not set}"
: "${ANTQ_ADMIN_PASSWORD:?ANTQ_ADMIN_PASSWORD is not set}"
action="${1:-list}"

token_json="$(curl -sS --fail-with-body -d grant_type=password -d client_id=antq-cli -d username=admin \
  --data-urlencode "password=$ANTQ_ADMIN_PASSWORD" "$ANTQ_GATEWAY/connect/token")" || {
  echo "Không lấy được mã truy cập từ $ANTQ_GATEWAY/connect/token: $token_json" >&2; exit 1; }
token="$(printf '%s' "$token_json" | jq -r '.access_token // empty')"
[ -n "$token" ] || { echo "Máy chủ không trả về access_token: $token_json" >&2; exit 1; }

out="$(mktemp)"; trap 'rm -f "$out"' EXIT
call() { # call METHOD PATH: the answer in $out, the status printed
  curl -sS -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $token" "$ANTQ_GATEWAY$2"
}
fail() { echo "$1 (HTTP $2):" >&2; jq -r '.detail // .title // .' "$out" >&2 2>/dev/null || cat "$out" >&2; exit 1; }

case "$action" in
  list)
    status="$(call GET /api/dead-letters)"
    [ "$status" = 200 ] || fail "Không đọc được danh sách thư chết" "$status"
    jq -r '(.items | length) as $n
      | if $n == 0 then "Không có thư chết." else "\($n) thư chết:" end,
        (.items[] | "\(.id)\n    \(.messageType) ở \(.service)/\(.where) từ \(.since // "?")\(if .attempts then ", \(.attempts) lần bị từ chối" else "" end)\n    lý do: \(.reason // "?")"),
        (if (.unreachable | length) > 0 then "Không hỏi được: \(.unreachable | join(", ")) (danh sách trên có thể thiếu)" else empty end)' "$out"
    ;;
  redrive)
    target="${2:-}"
    [ -n "$target" ] || { echo "usage: $0 redrive ID|--all" >&2; exit 2; }
    if [ "$target" = "--all" ]; then
      status="$(call POST /api/dead-letters/redrive)"
      [ "$status" = 200 ] || fail "Gửi lại không thành công" "$status"
      jq -r '"Đã gửi lại \(.redriven) thư.", (if (.unreachable | length) > 0 then "Không hỏi được: \(.unreachable | join(", "))" else empty end)' "$out"
    else
      status="$(call POST "/api/dead-letters/$(jq -rn --arg id "$target" '$id | @uri')/redrive")"
      [ "$status" = 200 ] || fail "Gửi lại $target không thành công" "$status"
      jq -r '"Đã gửi lại \(.redriven) thư."' "$out"
    fi
    ;;
  *) echo "usage: $0 list | redrive ID|--all" >&2; exit 2 ;;
esac
