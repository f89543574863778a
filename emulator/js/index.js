'use strict'
// Where the ucare-emulator program is: in the platform package npm installed beside this
// one (one of its optionalDependencies, such as `ucare-emulator-linux-x64-gnu`).
const path = require('node:path')

/** The platform as the packages are named: linux-x64-gnu, darwin-arm64, win32-x64-msvc... */
function platformName () {
  const { platform, arch } = process
  if (platform === 'linux') {
    // glibc's Node reports the glibc it runs on; musl builds report none.
    const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
    return `linux-${arch}-${report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'}`
  }
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

/** The path of the `ucare-emulator` program for this platform. */
function binaryPath () {
  const name = platformName()
  const pkg = `ucare-emulator-${name}`
  let dir
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`))
  } catch (error) {
    const { optionalDependencies = {} } = require('./package.json')
    const published = Object.keys(optionalDependencies).map((p) => p.slice('ucare-emulator-'.length))
    throw new Error(
      `ucare-emulator: no program for this platform (${name}). npm installs it as the optional package ${pkg}; ` +
      'if it is missing, reinstall without --no-optional/--omit=optional. ' +
      `Platforms with a program: ${published.join(', ') || 'none in this checkout'}. ` +
      'Elsewhere, build it with Rust (cargo install ucare-emulator) and set UCARE_EMULATOR to its path.',
      { cause: error }
    )
  }
  return path.join(dir, process.platform === 'win32' ? 'ucare-emulator.exe' : 'ucare-emulator')
}

module.exports = { binaryPath, platformName }
