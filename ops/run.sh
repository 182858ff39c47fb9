#!/usr/bin/env bash
# Runs Bitcain on this machine: installs what is missing (ops/setup.sh), builds the AppHost (which builds the
# services it references), then runs it: Aspire starts a private PostgreSQL and RabbitMQ, the services and the
# dashboard, and the AppHost prints the gateway's URL, the dashboard's login URL and a token. Arguments go to the
# AppHost (ops/run.sh --help; ops/run.sh token --user alice). Ctrl-C or SIGTERM stops everything it started.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

"$repo/ops/setup.sh"

# Built, then exec'd: the script's pid becomes the AppHost's, so a SIGTERM sent to it reaches the AppHost, which
# has Aspire's DCP stop everything and returns once it has. The build's output goes to stderr, so that
# `ops/run.sh token --user alice` prints only the token on stdout.
dotnet build AppHost/Bitcain.AppHost.csproj -c Debug --nologo -v q -clp:NoSummary >&2
exec dotnet AppHost/bin/Debug/net10.0/Bitcain.AppHost.dll "$@"
