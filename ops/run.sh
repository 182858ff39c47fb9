#!/usr/bin/env bash
# Runs Bitcain on this machine: installs what is missing (ops/setup.sh), then the AppHost, which starts a
# private PostgreSQL and RabbitMQ, builds the solution and runs the services. Arguments go to the AppHost
# (ops/run.sh --help; ops/run.sh token --user alice). Ctrl-C or SIGTERM stops everything it started.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

"$repo/ops/setup.sh"

# Built and started directly rather than through `dotnet run`, so that a SIGTERM sent to this script's pid
# reaches the AppHost itself (exec replaces the shell), which then stops its children in order.
# The build's output goes to stderr: `ops/run.sh token ...` prints only the token on stdout.
dotnet build AppHost/Bitcain.AppHost.csproj -c Debug --nologo -v q -clp:NoSummary >&2
exec dotnet AppHost/bin/Debug/net10.0/Bitcain.AppHost.dll "$@"
