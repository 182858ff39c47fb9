#!/usr/bin/env bash
# Regenerates the Wolverine handler code (and any Marten storage code) that each service compiles in from
# services/<Service>/Internal/Generated, so production runs it without Roslyn (README, "Bench": memory).
# Run it after changing a handler's signature, its middleware, a message type or a service registration a handler
# uses; a test (tests/Bitcain.Ops.Tests, GeneratedCodeTests) fails while the committed code is stale.
#
#   bash ops/codegen.sh                  # every service
#   bash ops/codegen.sh Credentials Sync # some
#
# Needs no database and no broker: the host is built, never started. The settings below only let the services'
# configuration checks pass; nothing is signed, sealed or sent with them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

services=("$@")
[ ${#services[@]} -gt 0 ] || services=(Credentials Sync Market Gateway)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
throwaway_key() { openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt; }

export ASPNETCORE_ENVIRONMENT=Development
export ConnectionStrings__postgres="Host=127.0.0.1;Port=9;Username=codegen;Password=codegen;Database=codegen"
export ConnectionStrings__rabbitmq="amqp://codegen:codegen@127.0.0.1:9/"
export Auth__SigningKey=$(head -c 48 /dev/urandom | base64 -w0)
export Credentials__MasterKey=$(head -c 32 /dev/urandom | base64 -w0)
export Bus__Identity__SigningKey=$(throwaway_key)
export Logging__LogLevel__Default=Warning

for service in "${services[@]}"; do
  project="services/$service/Bitcain.$service.csproj"
  [ -f "$project" ] || { echo "codegen: no $project" >&2; exit 1; }
  # codegen write adds and overwrites files but never deletes one: start empty, so a removed handler's adapter goes.
  # (Debug builds never compile this folder in, so a stale adapter cannot stop the build below either.)
  rm -rf "services/$service/Internal/Generated"
done

for service in "${services[@]}"; do
  project="services/$service/Bitcain.$service.csproj"
  # The gateway's OpenAPI document is written by ordinary builds; under this script's Development settings its
  # build-time run would validate the whole container, Wolverine's part of which the document run leaves out.
  dotnet build "$project" -c Debug -nologo -v q -clp:ErrorsOnly -p:OpenApiGenerateDocuments=false
  dll="$root/services/$service/bin/Debug/net10.0/Bitcain.$service.dll"
  out="$root/services/$service/Internal/Generated"
  (cd "$work" && CodeGeneration__OutputPath="$out" dotnet "$dll" codegen write >/dev/null)
  echo "codegen: $service: $(find "$out" -name '*.cs' | wc -l) files in services/$service/Internal/Generated"
done
