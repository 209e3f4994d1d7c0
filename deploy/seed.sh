#!/usr/bin/env bash
# Called at the end of `deploy/antq up` (ANTQ_GATEWAY, ANTQ_ADMIN_PASSWORD, ANTQ_SHARED_DIR): loads the units.
# With $ANTQ_SHARED_DIR/data/dvhc: the three-tier list (from 2020-01-01), the two-tier list (from 2025-07-01) and the
# merge lineage; otherwise the small demo province in deploy/demo. Every import is idempotent, so running it again is safe.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
import="$here/import-units.sh"
dvhc="${ANTQ_SHARED_DIR:-}/data/dvhc"

if [ -n "${ANTQ_SHARED_DIR:-}" ] && [ -d "$dvhc" ]; then
  echo "Nạp danh sách đơn vị hành chính thật từ $dvhc"
  "$import" "$dvhc/units-2025-06-three-tier.json" 2020-01-01
  "$import" "$dvhc/units-2026-07-two-tier.json" 2025-07-01
  "$import" "$dvhc/merges-2025.json" 2025-07-01
else
  echo "Không có $dvhc: nạp tỉnh minh hoạ trong deploy/demo"
  "$import" "$here/demo/units-demo.json" 2025-07-01
  "$import" "$here/demo/units-demo.csv" 2025-07-01
fi

# Units below the commune for the demo accounts (their communes are in the real list and the demo province alike).
[ -n "${ANTQ_SHARED_DIR:-}" ] && [ -d "$dvhc" ] && "$import" "$here/demo/units-demo.csv" 2025-07-01

# Demo accounts, one per kind of user, so that a newcomer can see the product as each of them sees it.
# Local mode only: the password is printed by `deploy/antq up` and kept in .antq/demo-accounts.txt.
demo_password="${ANTQ_DEMO_PASSWORD:-Demo@2026antq}"
token="$(curl -fsS -d grant_type=password -d client_id=antq-cli -d username=admin --data-urlencode "password=$ANTQ_ADMIN_PASSWORD" \
  "$ANTQ_GATEWAY/connect/token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')"
accounts=(
  "pv01.thanhhoa|ProvinceOfficer|38|Phòng PV01 Công an tỉnh Thanh Hóa"
  "xa.hamrong|CommuneOfficer|14758|Công an phường Hàm Rồng"
  "xa.muonglat|CommuneOfficer|14845|Công an xã Mường Lát"
  "xem.thanhhoa|Viewer|38|Lãnh đạo Công an tỉnh Thanh Hóa (chỉ xem)"
)
[ -n "${ANTQ_SHARED_DIR:-}" ] && [ -d "$dvhc" ] && accounts+=("huyen.tpthanhhoa|DistrictOfficer|380|Công an thành phố Thanh Hóa (trước 01/07/2025)")
list="${ANTQ_STATE_DIR:-$here/../.antq}/demo-accounts.txt"
: > "$list"
for entry in "${accounts[@]}"; do
  IFS='|' read -r username role unit name <<<"$entry"
  body="$(python3 -c 'import json,sys; print(json.dumps({"username":sys.argv[1],"password":sys.argv[2],"role":sys.argv[3],"orgUnitCode":sys.argv[4],"fullName":sys.argv[5]}))' \
    "$username" "$demo_password" "$role" "$unit" "$name")"
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" "$ANTQ_GATEWAY/api/users")"
  case "$status" in 201|409) printf '    %-18s %-16s %-6s %s\n' "$username" "$role" "$unit" "$name" >> "$list" ;;
    *) echo "Không tạo được tài khoản minh hoạ $username (HTTP $status)" >&2 ;; esac
done
