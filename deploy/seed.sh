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
