#!/usr/bin/env bash
# Set everything up on a fresh Debian machine and build the graph of the bundled sample articles.
#   bash scripts/setup.sh            -> .venv with reformkg installed, output/graph.{ttl,nq,html}
# Debian packages (chromium and CJK fonts for the browser test) are installed when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
  fi
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/kg build tests/corpus --out output
