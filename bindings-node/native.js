'use strict'
// Loads the native addon: `ucare.<platform>.node` next to this file in a checkout (built by
// `npm run build`), else the platform package npm installed with `ucare` (one of its
// optionalDependencies, such as `ucare-linux-x64-gnu`).
const path = require('node:path')
const fs = require('node:fs')

/** The platform as napi-rs names its packages: linux-x64-gnu, darwin-arm64, win32-x64-msvc... */
function platformName () {
  const { platform, arch } = process
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

function isMusl () {
  // glibc's Node reports the glibc version it runs on; musl builds report none.
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
  return report != null && report.header != null && !report.header.glibcVersionRuntime
}

/** The platforms a published package has a binary for: its optionalDependencies. */
function published () {
  const { optionalDependencies = {} } = require('../package.json')
  return Object.keys(optionalDependencies).filter((pkg) => pkg.startsWith('ucare-')).map((pkg) => pkg.slice('ucare-'.length))
}

function load () {
  const name = platformName()
  const local = path.join(__dirname, `ucare.${name}.node`)
  if (fs.existsSync(local)) return require(local)
  const pkg = `ucare-${name}`
  try {
    return require(pkg)
  } catch (error) {
    if (error && error.code !== 'MODULE_NOT_FOUND') throw error
    throw new Error(
      `ucare: no native binary for this platform (${name}). npm installs it as the optional package ${pkg}; ` +
      `if it is missing, reinstall without --no-optional/--omit=optional (and delete package-lock.json if it was made on another platform). ` +
      `Platforms with a binary: ${published().join(', ') || 'none in this checkout'}. ` +
      'Elsewhere, build from a checkout of the repository with Rust: `npm run build`.',
      { cause: error }
    )
  }
}

module.exports = load()
