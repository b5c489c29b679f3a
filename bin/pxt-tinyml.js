#!/usr/bin/env node
require("../built/tools/cli.js").runFromCommandLine()
