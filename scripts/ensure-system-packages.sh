#!/usr/bin/env bash
# Install the Debian packages AccessLine drives, when missing: `scripts/ensure-system-packages.sh [--required] PKG:CMD ...`
# Each argument names a package and a command that proves it is installed (e.g. espeak-ng:espeak-ng).
# As root the missing ones are installed with apt-get; otherwise the one command to run is printed
# (and, with --required, the script fails).
set -euo pipefail
required=0
if [ "${1:-}" = "--required" ]; then required=1; shift; fi
need=()
for spec in "$@"; do
  pkg=${spec%%:*}; cmd=${spec#*:}
  if [[ "$cmd" == /* ]]; then compgen -G "$cmd" >/dev/null || need+=("$pkg")
  else command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg"); fi
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo ">> installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "missing Debian packages: ${need[*]} — install them with: sudo apt-get install ${need[*]}" >&2
  [ $required = 1 ] && exit 1
fi
exit 0
