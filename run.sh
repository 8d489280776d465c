#!/usr/bin/env bash
# Brings the whole platform up on loopback: Azurite (started by the functions program), the functions
# program in local host mode (REST API + queue/timer triggers) and one media node. Stays in the
# foreground; Ctrl-C stops what it started.
#
# Environment (all optional):
#   TELEPHONY_API_PORT       API / functions port            (default 7071)
#   TELEPHONY_NODE_PORT      media node health port          (default 7072)
#   TELEPHONY_SIP_PORT       media node SIP port, UDP        (default 5080)
#   TELEPHONY_TRUNK_URI      where the node sends E.164 numbers (default sip:127.0.0.1:5070,
#                            i.e. `telephony phone listen --sip udp:127.0.0.1:5070`)
#   TELEPHONY_AZURITE_PORTS  "blob,queue,table" for Azurite  (default 10000,10001,10002)
#   TELEPHONY_AZURITE_MEMORY=1  keep Azurite data in memory instead of .data/azurite
#   AzureWebJobsStorage      use this storage account instead of starting Azurite
#   Telephony__AdminKey      operator key (generated and printed when unset)
#   Telephony__NodeKey       key media nodes present to the functions (generated when unset)
#   Telephony__SecretsKey    seals API key secrets for AccessToken checks (kept in .data/secrets-key when unset)
#   TELEPHONY_CONFIGURATION  build configuration (default Release)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

ensure_dotnet
ensure_npm_packages
ensure_telephony_tools

api_port=${TELEPHONY_API_PORT:-7071}
node_port=${TELEPHONY_NODE_PORT:-7072}
sip_port=${TELEPHONY_SIP_PORT:-5080}
trunk_uri=${TELEPHONY_TRUNK_URI:-sip:127.0.0.1:5070}
IFS=, read -r blob_port queue_port table_port <<<"${TELEPHONY_AZURITE_PORTS:-10000,10001,10002}"
configuration=${TELEPHONY_CONFIGURATION:-Release}
api="http://127.0.0.1:$api_port"
logs=.data/logs
mkdir -p "$logs"

echo "==> building ($configuration)"
dotnet build functions/Telephony.Functions/Telephony.Functions.csproj -c "$configuration" --nologo -v quiet -clp:NoSummary
dotnet build media-node/Telephony.MediaNode/Telephony.MediaNode.csproj -c "$configuration" --nologo -v quiet -clp:NoSummary

if [ -z "${Telephony__AdminKey:-}" ]; then
  Telephony__AdminKey=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
  generated_key=1
fi
export Telephony__AdminKey
# Shared by the functions (node endpoints) and the media node; never printed.
if [ -z "${Telephony__NodeKey:-}" ]; then
  Telephony__NodeKey=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
fi
export Telephony__NodeKey
# Seals API key secrets at rest so AccessTokens can be verified. Kept beside the Azurite data it protects
# (git-ignored .data/), because keys stored under one secrets key cannot sign tokens under another.
if [ -z "${Telephony__SecretsKey:-}" ]; then
  mkdir -p .data
  if [ ! -s .data/secrets-key ]; then
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > .data/secrets-key)
  fi
  Telephony__SecretsKey=$(cat .data/secrets-key)
fi
export Telephony__SecretsKey

# The functions program starts Azurite on these ports; the media node gets the same connection string.
if [ -z "${AzureWebJobsStorage:-}" ]; then
  account_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
  storage_note="Azurite on 127.0.0.1 (blob $blob_port, queue $queue_port, table $table_port)"
  if [ "${TELEPHONY_AZURITE_MEMORY:-0}" = "1" ]; then
    storage_note="$storage_note, in memory"
  else
    storage_note="$storage_note, data in .data/azurite"
  fi
else
  storage=$AzureWebJobsStorage
  storage_note="the account in AzureWebJobsStorage"
fi

children=()
stop_children() {
  trap - INT TERM EXIT
  local pid
  for pid in "${children[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${children[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap 'stop_children; exit 130' INT
trap 'stop_children; exit 143' TERM
trap stop_children EXIT

echo "==> starting the functions program (local host mode) on $api"
# Only the Functions host sets FUNCTIONS_CUSTOMHANDLER_PORT; make sure local mode is chosen.
env -u FUNCTIONS_CUSTOMHANDLER_PORT \
  dotnet "functions/Telephony.Functions/bin/$configuration/net10.0/Telephony.Functions.dll" \
  --urls "$api" \
  --Telephony:HostMode Local \
  --Telephony:FunctionApp:HostJson "$PWD/host.json" \
  --Telephony:Azurite:BlobPort "$blob_port" \
  --Telephony:Azurite:QueuePort "$queue_port" \
  --Telephony:Azurite:TablePort "$table_port" \
  --Telephony:Azurite:InMemory "$([ "${TELEPHONY_AZURITE_MEMORY:-0}" = "1" ] && echo true || echo false)" \
  >"$logs/functions.log" 2>&1 &
children+=($!)
functions_pid=$!

# wait_healthy <name> <url> <pid>: polls the health endpoint until it answers 200 or the process dies.
wait_healthy() {
  local name=$1 url=$2 pid=$3 tries=0
  until curl -fs -o /dev/null --max-time 2 "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $name exited; last lines of its log:" >&2
      tail -n 30 "$logs/$name.log" >&2
      exit 1
    fi
    tries=$((tries + 1))
    if [ $tries -gt 240 ]; then
      echo "error: $name did not become healthy at $url within 120 s; see $logs/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}
wait_healthy functions "$api/healthz" "$functions_pid"

echo "==> starting a media node on http://127.0.0.1:$node_port (SIP udp:127.0.0.1:$sip_port)"
# Local mode: tenant apps may live on loopback, so the node may fetch from private addresses.
env -u FUNCTIONS_CUSTOMHANDLER_PORT AzureWebJobsStorage="$storage" \
  dotnet "media-node/Telephony.MediaNode/bin/$configuration/net10.0/Telephony.MediaNode.dll" \
  --urls "http://127.0.0.1:$node_port" \
  --Telephony:Node:Id local-node-1 \
  --Telephony:Node:SipListen:0 "udp:127.0.0.1:$sip_port" \
  --Telephony:Node:FunctionsUrl "$api" \
  --Telephony:Node:AllowInternalAddresses true \
  --Telephony:Node:Trunks:0:Name local \
  --Telephony:Node:Trunks:0:Uri "$trunk_uri" \
  >"$logs/media-node.log" 2>&1 &
children+=($!)
node_pid=$!
wait_healthy media-node "http://127.0.0.1:$node_port/healthz" "$node_pid"

key_note="(from Telephony__AdminKey)"
[ -n "${generated_key:-}" ] && key_note="(generated for this run; set Telephony__AdminKey to keep one)"
cat <<INFO

Telephony.Serverless is up.
  API         $api   (health: $api/healthz)
  Admin key   $Telephony__AdminKey   $key_note
  Media node  http://127.0.0.1:$node_port/healthz   SIP udp:127.0.0.1:$sip_port, numbers go to $trunk_uri
  Storage     $storage_note
  Logs        $logs/functions.log, $logs/media-node.log

A first session (in other terminals):
  # the far end: a softphone on the local trunk that answers and records what it hears
  dotnet run --project tools/Telephony.Cli -- phone listen --sip udp:${trunk_uri#sip:} --record heard.wav
  KEY=$Telephony__AdminKey
  # create a tenant (an Account) with the admin key; note its "sid" and "auth_token"
  curl -s -u admin:\$KEY -d FriendlyName=Demo $api/2010-04-01/Accounts.json
  SID=AC...; TOKEN=...
  # place a call with inline TwiML (or -d Url=https://your.app/voice for your own application)
  curl -s -u \$SID:\$TOKEN --data-urlencode To=+15551230000 --data-urlencode From=+15557650000 \\
    --data-urlencode 'Twiml=<Response><Say>Hello from Telephony Serverless</Say><Pause length="1"/><Hangup/></Response>' \\
    $api/2010-04-01/Accounts/\$SID/Calls.json
  # list calls
  curl -s -u \$SID:\$TOKEN $api/2010-04-01/Accounts/\$SID/Calls.json

Press Ctrl-C to stop.
INFO

# Stay in the foreground until a child exits or we are interrupted.
set +e
wait -n "${children[@]}"
status=$?
echo "a platform process exited (status $status); stopping the others" >&2
exit "$status"
