#!/usr/bin/env bash
# Runs every test: unit, protocol interop (sipp), storage (Azurite) and SDK compatibility (twilio npm).
# Installs what is missing first. Usage: ./test.sh [extra dotnet test arguments, e.g. --filter X]
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
source scripts/azurite.sh

ensure_dotnet
ensure_npm_packages
ensure_telephony_tools

echo "==> building"
dotnet build Telephony.Serverless.sln -c Debug -warnaserror --nologo -v quiet

echo "==> starting one Azurite for the whole run"
start_azurite --memory
trap stop_azurite EXIT
export TELEPHONY_TEST_STORAGE="$AZURITE_CONNECTION_STRING"

echo "==> testing"
# One test assembly at a time: the media-node and RTP tests listen to real-time audio, and on two cores a
# neighbouring assembly's build-heavy tests would starve their pacers (within an assembly xUnit still runs
# collections in parallel).
log=$(mktemp)
status=0
set +e
for project in tests/*/*.Tests.csproj; do
  dotnet test "$project" --no-build -c Debug --nologo "$@" 2>&1 | tee -a "$log"
  code=${PIPESTATUS[0]}
  if [ "$code" -ne 0 ]; then status=$code; fi
done
set -e

# One closing line for the whole run, summed over every test assembly.
awk '
  /(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1) + 0
      if ($i == "Passed:") p += $(i + 1) + 0
      if ($i == "Skipped:") s += $(i + 1) + 0
    }
  }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
