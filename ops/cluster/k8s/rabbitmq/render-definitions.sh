#!/bin/sh
# Writes the broker's users and permissions (definitions.json) with the passwords the platform's secret store
# passes as environment variables, so no password sits in a ConfigMap or in git. Each @NAME@ in the template is
# replaced by $NAME; the passwords are hex (openssl rand -hex 32), which sed and amqp:// URIs take as they are.
# Usage: render-definitions.sh <template> <target>   (RabbitMQ imports <target> on every boot)
set -eu
template=$1
target=$2
umask 077
rendered=$(cat "$template")
for name in $(grep -o '@[A-Z0-9_]*@' "$template" | sort -u | tr -d @); do
  value=$(printenv "$name") || { echo "render-definitions: $name is not set" >&2; exit 1; }
  case $value in
    ''|*[!A-Za-z0-9._-]*) echo "render-definitions: $name must be non-empty and URL-safe (openssl rand -hex 32)" >&2; exit 1 ;;
  esac
  rendered=$(printf '%s\n' "$rendered" | sed "s/@$name@/$value/g")
done
printf '%s\n' "$rendered" > "$target"
if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then chown rabbitmq:rabbitmq "$target"; fi
