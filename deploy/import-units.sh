#!/usr/bin/env bash
# Loads a unit file through the API: deploy/import-units.sh FILE [effectiveFrom]
#   *.json with District (three-tier) or Wards (two-tier)  -> POST /api/org-units/import[?effectiveFrom=]
#   merges-2025.json (ma, ten, magoc, truocsapnhap)        -> POST /api/org-units/merges/import
#   *.csv (code,name,kind,parentCode)                      -> POST /api/org-units/import as text/csv
# Without effectiveFrom the service decides: 2020-01-01 (three-tier), 2025-07-01 (two-tier and merges), today (CSV).
# Needs ANTQ_GATEWAY and ANTQ_ADMIN_PASSWORD (deploy/antq import-units sets both). Safe to run again: nothing changes.
set -euo pipefail

file="${1:-}"
effective="${2:-}"
[ -n "$file" ] && [ -f "$file" ] || { echo "usage: $0 FILE [effectiveFrom YYYY-MM-DD]" >&2; exit 2; }
: "${ANTQ_GATEWAY:?ANTQ_GATEWAY is not set}"
: "${ANTQ_ADMIN_PASSWORD:?ANTQ_ADMIN_PASSWORD is not set}"

token_json="$(curl -sS --fail-with-body -d grant_type=password -d client_id=antq-cli -d username=admin \
  --data-urlencode "password=$ANTQ_ADMIN_PASSWORD" "$ANTQ_GATEWAY/connect/token")" || {
  echo "Không lấy được mã truy cập từ $ANTQ_GATEWAY/connect/token: $token_json" >&2; exit 1; }
token="$(printf '%s' "$token_json" | jq -r '.access_token // empty')"
[ -n "$token" ] || { echo "Máy chủ không trả về access_token: $token_json" >&2; exit 1; }

path="/api/org-units/import"
type="application/json"
case "$file" in
  *.csv) type="text/csv; charset=utf-8" ;;
  *) if head -c 4096 "$file" | grep -q '"truocsapnhap"'; then path="/api/org-units/merges/import"; fi ;;
esac
[ -n "$effective" ] && path="$path?effectiveFrom=$effective"

echo "Đang nhập $(basename "$file") ($(du -h "$file" | cut -f1)) → $path" >&2
out="$(mktemp)"; trap 'rm -f "$out"' EXIT
# The bar shows the upload; the service then answers with the counts once the whole file is in (one transaction).
status="$(curl --progress-bar -o "$out" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
  -H "Content-Type: $type" --data-binary "@$file" "$ANTQ_GATEWAY$path")"
if [ "$status" != 200 ]; then
  echo "Nhập không thành công (HTTP $status):" >&2
  jq -r '.detail // .title // .' "$out" >&2 2>/dev/null || cat "$out" >&2
  exit 1
fi

if [ "$path" = "${path#/api/org-units/merges}" ]; then
  jq -r '"Xong (\(.format), hiệu lực từ \(.effectiveFrom), \(.elapsedMilliseconds) ms): \(.created) tạo mới, \(.closed) đóng, \(.unchanged) không đổi",
         (.byKind | to_entries[] | "  \(.key): \(.value.created) tạo mới, \(.value.closed) đóng, \(.value.unchanged) không đổi")' "$out"
else
  jq -r '"Xong: \(.links) liên kết (\(.partialLinks) một phần); đơn vị cũ nguyên vẹn tìm được \(.wholePredecessorsResolved)/\(.wholePredecessorsNamed) = \(.wholeResolutionPercent)%",
         "Không xác định được \(.unresolved | length) tên:",
         (.unresolved[:20][] | "  \(.code) \(.name): \"\(.reference)\" – \(.reason)"),
         (if (.unresolved | length) > 20 then "  … (xem toàn bộ trong câu trả lời JSON của API)" else empty end)' "$out"
fi
