#!/usr/bin/env bash
# Builds the function-app package: the custom handler published self-contained for linux-x64,
# host.json and every functions/<name>/function.json as <name>/function.json, zipped with the
# handler's executable bit kept. Deploy it with `az functionapp deploy` (docs/OPERATIONS.md).
#
# Usage: scripts/package-functions.sh [out-dir]     (default: artifacts/functions)
# Writes <out-dir>/app/ (the unzipped app) and <out-dir>/telephony-functions.zip; prints the zip path.
# The build uses its own intermediate folders under <out-dir>/build, so it never touches the
# repository's bin/ and obj/ (other builds may be running there). Analyzers are off here: the
# solution build (./test.sh, CI) already enforces them, and they would double the compile time.
# No MSBuild node reuse: nothing of this build outlives the script.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
for tool in dotnet python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is required (python3: apt-get install python3-minimal; dotnet: the .NET 10 SDK)" >&2
    exit 1
  fi
done
out=${1:-"$repo/artifacts/functions"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
app="$out/app"
zip_path="$out/telephony-functions.zip"
handler=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["customHandler"]["description"]["defaultExecutablePath"])' "$repo/host.json")

echo "==> publishing the handler (self-contained linux-x64)" >&2
rm -rf "$app" "$zip_path"
dotnet publish "$repo/functions/Telephony.Functions/Telephony.Functions.csproj" \
  -c Release -r linux-x64 --self-contained \
  --artifacts-path "$out/build" -o "$app" \
  --nologo -v quiet -nodeReuse:false -p:RunAnalyzers=false >&2

if [ ! -f "$app/$handler" ]; then
  echo "error: the publish produced no '$handler' (host.json customHandler.description.defaultExecutablePath)" >&2
  exit 1
fi
chmod 0755 "$app/$handler"

echo "==> assembling host.json and function.json files" >&2
cp "$repo/host.json" "$app/host.json"
count=0
for definition in "$repo"/functions/*/function.json; do
  name=$(basename "$(dirname "$definition")")
  if [ -e "$app/$name" ] && [ ! -d "$app/$name" ]; then
    echo "error: function '$name' collides with a published file of the same name" >&2
    exit 1
  fi
  mkdir -p "$app/$name"
  cp "$definition" "$app/$name/function.json"
  count=$((count + 1))
done
if [ "$count" -eq 0 ]; then
  echo "error: no functions/*/function.json found" >&2
  exit 1
fi

echo "==> zipping $count functions" >&2
# python3's zipfile keeps each file's Unix mode in the entry's external attributes (the Functions
# host needs the handler's executable bit); entries are sorted so the zip's layout is stable.
python3 - "$app" "$zip_path" <<'PY'
import os, stat, sys, zipfile

root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            entry = zipfile.ZipInfo.from_file(path, os.path.relpath(path, root))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so readers honour the mode bits
            entry.external_attr = (stat.S_IFREG | stat.S_IMODE(os.stat(path).st_mode)) << 16
            with open(path, "rb") as source:
                archive.writestr(entry, source.read())
PY

echo "$zip_path"
