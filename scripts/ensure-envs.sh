#!/usr/bin/env bash
# Create (or reuse) the two Python 3.10 environments, cached outside the clone and keyed
# on a hash of their dependency files, then link them into the work tree as .venv-rasa / .venv-gw.
#   ACCESSLINE_CACHE  where environments live (default: ~/.cache/accessline)
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${ACCESSLINE_CACHE:-$HOME/.cache/accessline}"
mkdir -p "$cache"

find_python310() {
  if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import venv' 2>/dev/null; then
    command -v python3.10; return
  fi
  if command -v pyenv >/dev/null 2>&1; then
    local v
    v=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -V | tail -1 || true)
    if [ -n "$v" ]; then echo "$(pyenv root)/versions/$v/bin/python3.10"; return; fi
  fi
  echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10). Install it (apt install python3.10-venv, or pyenv install 3.10)." >&2
  exit 1
}

ensure_env() {  # name, link, extra requirements file installed by hash without dependencies (or ""), pip args...
  local name=$1 link=$2 hashed=$3; shift 3
  local dir="$cache/$name"
  # One builder per environment: parallel checkouts (CI, worktrees) wait for it instead of deleting each other's work.
  exec 9>"$cache/$name.lock"
  flock 9
  if [ ! -f "$dir/.complete" ]; then
    echo ">> creating environment $dir (this takes a few minutes the first time)"
    rm -rf "$dir"
    "$PY" -m venv "$dir"
    "$dir/bin/pip" install --progress-bar off "$@"
    if [ -n "$hashed" ]; then
      "$dir/bin/pip" install --progress-bar off --require-hashes --no-deps -r "$hashed"
    fi
    touch "$dir/.complete"
  fi
  flock -u 9
  ln -sfn "$dir" "$link"
}

PY=$(find_python310)
rasa_hash=$(cat requirements/rasa.txt requirements/rasa-embed.txt | sha256sum | cut -c1-12)
gw_hash=$(cat requirements/gateway.txt requirements/dev.txt | sha256sum | cut -c1-12)
ensure_env "rasa-$rasa_hash" .venv-rasa requirements/rasa-embed.txt -r requirements/rasa.txt
ensure_env "gw-$gw_hash" .venv-gw "" -r requirements/gateway.txt -r requirements/dev.txt
echo ">> environments ready: .venv-rasa -> $(readlink .venv-rasa), .venv-gw -> $(readlink .venv-gw)"
