#!/usr/bin/env bash
# Sourced helper: start_azurite <data-dir|--memory> starts the pinned Azurite on free loopback ports,
# sets AZURITE_PID and AZURITE_CONNECTION_STRING. stop_azurite ends that process (only that one).

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

start_azurite() {
  local where=$1
  local blob queue table
  blob=$(free_port); queue=$(free_port); table=$(free_port)
  local args=(--silent --skipApiVersionCheck --disableTelemetry --loose
              --blobHost 127.0.0.1 --blobPort "$blob"
              --queueHost 127.0.0.1 --queuePort "$queue"
              --tableHost 127.0.0.1 --tablePort "$table")
  if [ "$where" = "--memory" ]; then
    args+=(--inMemoryPersistence)
  else
    mkdir -p "$where"
    args+=(--location "$where")
  fi
  node node_modules/azurite/dist/src/azurite.js "${args[@]}" >/dev/null 2>&1 &
  AZURITE_PID=$!
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  local port tries
  for port in "$blob" "$queue" "$table"; do
    tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
      tries=$((tries + 1))
      if [ $tries -gt 300 ] || ! kill -0 "$AZURITE_PID" 2>/dev/null; then
        echo "error: Azurite did not start" >&2
        return 1
      fi
      sleep 0.1
    done
  done
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
}
