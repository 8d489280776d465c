#!/usr/bin/env bash
# Shared by run.sh and test.sh: install what is missing. Sourced, not executed.
# Debian packages are installed only when running as root (CI and this project's dev machines are);
# otherwise a missing tool is reported with the package that provides it.

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK is required (https://dot.net)." >&2
    exit 1
  fi
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js (20 or newer) with npm is required." >&2
    exit 1
  fi
}

# npm packages pinned in package-lock.json (Azurite, the twilio SDK used by compatibility tests).
ensure_npm_packages() {
  ensure_node
  if [ ! -f node_modules/azurite/package.json ] || [ ! -f node_modules/twilio/package.json ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# ensure_debian_packages "command:package" ...  installs the packages whose command is missing.
ensure_debian_packages() {
  local missing=()
  local pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}
    pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "warning: missing ${missing[*]}; install them (apt-get install ${missing[*]}) — tests that need them will fail." >&2
    return 0
  fi
  echo "==> installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${TELEPHONY_APT_UPDATED:-}" ]; then
    apt-get update -qq
    export TELEPHONY_APT_UPDATED=1
  fi
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The external tools the platform and its tests use (run.sh polls health endpoints with curl).
ensure_telephony_tools() {
  ensure_debian_packages \
    "curl:curl" \
    "sipp:sip-tester" \
    "tshark:tshark" \
    "espeak-ng:espeak-ng" \
    "flite:flite" \
    "ffmpeg:ffmpeg" \
    "mpg123:mpg123"
}
