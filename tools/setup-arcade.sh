#!/usr/bin/env bash
# Installs MakeCode Arcade (tools/arcade/package.json: pxt-arcade 4.1.2 from the npm registry) into
# tools/arcade/node_modules, once. The tests and `npm run firmware` build SAMD51 firmware with it
# (node/firmware.ts buildArcadeFirmware, tools/pxt-arcade.js). It lives apart from the project's
# node_modules: pxt-arcade has an optional dependency on a git repository (pxt-arcade-sim), which
# npm install skips but npm ci refuses to find missing from a lock file.
set -euo pipefail
cd "$(dirname "$0")/arcade"
[ -f node_modules/pxt-arcade/built/target.json ] && exit 0
echo "setup-arcade: installing pxt-arcade into tools/arcade/node_modules"
# pxt-core's puppeteer would download a browser: nothing here uses it.
PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --no-package-lock --loglevel=error
