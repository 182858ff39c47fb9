#!/usr/bin/env bash
# Installs what Bitcain needs on a Debian or Ubuntu machine and is quick when all of it is there:
# the .NET 10 SDK is expected (it is the toolchain, not a runtime dependency we can apt-get here),
# PostgreSQL 15+ and RabbitMQ come from the distribution's packages. Idempotent.
# Debian's chromium too: the end-to-end tests open the gateway's /docs page in it and ops/screenshot.sh drives it
# (Playwright cannot download its own browser here). `ops/setup.sh chromium` is the same, kept for older callers.
set -euo pipefail

need=()
have_pg() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
have_rabbit() { [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || ls /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin/rabbitmq-server >/dev/null 2>&1; }
have_pg || need+=(postgresql)
have_rabbit || need+=(rabbitmq-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is not on PATH; install it first (https://dot.net), then run this again." >&2
  exit 1
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${need[*]}." >&2
  echo "setup: run this script as root (or: sudo apt-get install -y ${need[*]}), then try again." >&2
  exit 1
fi

echo "setup: installing ${need[*]} (apt-get) ..."
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; policy-rc.d keeps the packages' own services from starting:
# Bitcain runs private, loopback-only instances of its own instead.
apt-get update -qq
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.bitcain
chmod +x /usr/sbin/policy-rc.d.bitcain
if [ ! -e /usr/sbin/policy-rc.d ]; then cp /usr/sbin/policy-rc.d.bitcain /usr/sbin/policy-rc.d; created_policy=1; fi
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
[ "${created_policy:-0}" = 1 ] && rm -f /usr/sbin/policy-rc.d
rm -f /usr/sbin/policy-rc.d.bitcain
# Some images start epmd or a node during install even so; they are not ours to keep.
echo "setup: done."
