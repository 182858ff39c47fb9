#!/usr/bin/env bash
# Takes docs/dashboard-trace.png: the trace of one request in Aspire's dashboard. Runs the AppHost on a data folder
# of its own (extra arguments go to it, e.g. other ports), sends one authenticated request to the gateway with a
# traceparent of ours (so the trace id is known), has Playwright drive Debian's chromium to that trace in the
# dashboard, saves the page and stops the AppHost. Run it again after a change to the telemetry to refresh it.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

bash ops/setup.sh chromium
dotnet build AppHost/Bitcain.AppHost.csproj -c Debug --nologo -v q -clp:ErrorsOnly
dotnet build ops/Screenshot/Bitcain.Screenshot.csproj -c Debug --nologo -v q -clp:ErrorsOnly

work=$(mktemp -d /tmp/bitcain-screenshot.XXXXXX)
chmod 755 "$work"   # the postgres OS user must reach the cluster inside
log="$work/apphost.log"
dotnet AppHost/bin/Debug/net10.0/Bitcain.AppHost.dll --data "$work/data" --exchanges simulated "$@" >"$log" 2>&1 &
apphost=$!
stop() {
  kill -TERM "$apphost" 2>/dev/null && wait "$apphost" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

for _ in $(seq 1 300); do
  grep -q "Bitcain is ready" "$log" && break
  kill -0 "$apphost" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 2
done
grep -q "Bitcain is ready" "$log" || { tail -40 "$log" >&2; exit 1; }

login=$(grep -oE '^  http://127\.0\.0\.1:[0-9]+/login\?t=[0-9a-f]+' "$log" | head -1 | tr -d ' ')
token=$(grep -oE 'export TOKEN=\S+' "$log" | head -1 | cut -d= -f2)
gateway=$(grep -oE 'curl -H "Authorization: Bearer \$TOKEN" http://127\.0\.0\.1:[0-9]+' "$log" | head -1 | grep -oE 'http://\S+')

# One command that crosses the bus and writes the event store: the gateway, RabbitMQ, the credentials service's
# handler, PostgreSQL, and the reply back. (Queries go to the services over HTTP and would show no broker.)
trace_id=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
span_id=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
curl -sS -o /dev/null -w "POST /api/exchange/credentials: %{http_code}\n" -m 60 -X POST \
  -H "Authorization: Bearer $token" -H "traceparent: 00-$trace_id-$span_id-01" -H "Content-Type: application/json" \
  -d '{"exchange_name":"binance","credential_name":"screenshot","api_key":"screenshotkey-0123456789","api_secret":"screenshotsecret-0123456789","permissions":["read"]}' \
  "$gateway/api/exchange/credentials"
sleep 5   # the services export their spans in batches

mkdir -p docs
dotnet ops/Screenshot/bin/Debug/net10.0/Bitcain.Screenshot.dll "$login" "$trace_id" docs/dashboard-trace.png
