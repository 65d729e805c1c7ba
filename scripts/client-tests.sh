#!/usr/bin/env bash
# Real clients against a running `tenantsim serve`: the Microsoft Graph SDKs for Python,
# plain `requests` on the Exchange admin API and the Management Activity API, and
# schemathesis against /openapi.json (clients/).
#
# Creates or reuses a virtualenv (.venv-clients/, or $TENANTSIM_CLIENTS_VENV), installs
# clients/requirements.txt when it changed, builds tenantsim, serves brittest and contoso
# with strict auth on a free loopback port, runs pytest and always stops the server.
# Arguments go to pytest (`scripts/client-tests.sh -k paging -x`, `scripts/client-tests.sh clients/test_adminapi.py`).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${TENANTSIM_CLIENTS_VENV:-.venv-clients}
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the client virtualenv in $venv"
  "$python" -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum clients/requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
  echo "Installing clients/requirements.txt into $venv"
  started=$SECONDS
  "$venv/bin/python" -m pip install --disable-pip-version-check -q -r clients/requirements.txt
  echo "$wanted" > "$stamp"
  echo "pip install took $((SECONDS - started)) s"
fi

swift build --product tenantsim
bin="$(swift build --show-bin-path)/tenantsim"

log=$(mktemp)
key="client-tests-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$bin" serve --port 0 --tenant brittest --tenant contoso --strict-auth --signing-key "$key" \
  --log-level warning > "$log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

url=""
for _ in $(seq 1 600); do
  url=$(grep -o 'on http://[0-9.]*:[0-9]*' "$log" | head -n 1 | sed 's/^on //' || true)
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "tenantsim serve exited before it was ready:"; cat "$log"; exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then echo "tenantsim serve was not ready after 60 s:"; cat "$log"; exit 1; fi
echo "Client tests against $url"

export TENANTSIM_URL="$url" TENANTSIM_SIGNING_KEY="$key"
# Test paths among the arguments replace the default (the whole clients/ folder).
target=clients
for arg in "$@"; do case "$arg" in clients/*) target="" ;; esac; done
# pytest's closing line (with its duration) is the last thing printed.
"$venv/bin/python" -m pytest $target -p no:cacheprovider "$@"
