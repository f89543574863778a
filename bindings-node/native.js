'use strict'
// Loads the compiled addon (built by `npm run build` next to this file).
const path = require('node:path')
const fs = require('node:fs')

function load () {
  const candidates = [
    path.join(__dirname, 'ucare.node'),
    path.join(__dirname, `ucare.${process.platform}-${process.arch}.node`)
  ]
  for (const file of candidates) if (fs.existsSync(file)) return require(file)
  throw new Error(`ucare: the native addon is not built (looked for ${candidates.join(', ')}); run \`npm run build\``)
}

module.exports = load()
