#!/usr/bin/env node
'use strict'
// `npx ucare-emulator ...`: runs the program with these arguments and exits as it does.
const { spawnSync } = require('node:child_process')
const { binaryPath } = require('./index')

const run = spawnSync(binaryPath(), process.argv.slice(2), { stdio: 'inherit' })
if (run.error) throw run.error
process.exit(run.status ?? 1)
