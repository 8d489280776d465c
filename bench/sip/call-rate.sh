#!/usr/bin/env bash
# Call-rate benchmark: sipp's built-in UAC (INVITE, ACK, BYE) against our signaling-only UAS on loopback.
# Usage: bench/sip/call-rate.sh [rate=500] [calls=10000] [port=5090]
set -euo pipefail
cd "$(dirname "$0")/../.."
rate=${1:-500}
calls=${2:-10000}
port=${3:-5090}
project=bench/sip/Telephony.Sip.Benchmarks
dotnet build "$project" -c Release --nologo -v quiet >/dev/null
dll=$(find "$project/bin/Release" -name Telephony.Sip.Benchmarks.dll | head -n 1)
log=$(mktemp -d)
dotnet "$dll" uas "$port" >"$log/uas.out" 2>&1 &
uas=$!
trap 'kill "$uas" 2>/dev/null || true; rm -rf "$log"' EXIT
# Wait until the UAS has bound its UDP port.
for _ in $(seq 1 200); do
  grep -q "listening" "$log/uas.out" 2>/dev/null && break
  sleep 0.05
done
start=$(date +%s.%N)
set +e
(cd "$log" && sipp "127.0.0.1:$port" -sn uac -i 127.0.0.1 -p 0 -r "$rate" -m "$calls" -l $((rate * 4)) \
  -nostdin -timeout 300s -trace_err -error_file "$log/errors.log" >"$log/sipp.out" 2>&1)
status=$?
set -e
end=$(date +%s.%N)
successful=$(grep -E "Successful call" "$log/sipp.out" | tail -n 1 | awk '{print $(NF)}')
failed=$(grep -E "Failed call" "$log/sipp.out" | tail -n 1 | awk '{print $(NF)}')
elapsed=$(echo "$end - $start" | bc)
echo "rate=$rate calls=$calls sipp_exit=$status successful=$successful failed=$failed elapsed_s=$elapsed achieved_cps=$(echo "scale=1; $successful / $elapsed" | bc)"
