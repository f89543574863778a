// Packs the npm packages into a folder (default dist/), for both families:
//  - `ucare` (the repository's package.json) with its addon packages npm/<platform>/;
//  - `ucare-emulator` (emulator/js/) with its program packages emulator/js/npm/<platform>/.
// Each platform package whose binary was built is packed; the main package gets
// optionalDependencies naming every platform package at the same version, as napi-rs 3's
// `napi pre-publish` writes them. The manifests in the repository are not changed: each
// main package is staged.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist'))
fs.mkdirSync(out, { recursive: true })

function pack (dir) {
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }))
  console.log(`packed ${path.join(out, filename)}`)
}

/** Packs one family: `dir` holds the main package.json, `platforms` the platform packages. */
function family (dir, platforms, binaryOf) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  const optionalDependencies = {}
  for (const platform of fs.readdirSync(platforms).sort()) {
    const platformDir = path.join(platforms, platform)
    const manifest = JSON.parse(fs.readFileSync(path.join(platformDir, 'package.json'), 'utf8'))
    if (manifest.version !== pkg.version) throw new Error(`${manifest.name} is at ${manifest.version}, ${pkg.name} at ${pkg.version}`)
    optionalDependencies[manifest.name] = pkg.version
    const binary = binaryOf(manifest, platformDir)
    if (binary && fs.existsSync(binary)) {
      if (path.dirname(binary) !== platformDir) fs.copyFileSync(binary, path.join(platformDir, manifest.files[0]))
      pack(platformDir)
    }
  }
  if (!Object.keys(optionalDependencies).length) throw new Error(`no platform packages in ${platforms}`)
  const stage = fs.mkdtempSync(path.join(out, '.stage-'))
  try {
    const listed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8' }))[0].files
    for (const { path: file } of listed) {
      fs.mkdirSync(path.join(stage, path.dirname(file)), { recursive: true })
      fs.copyFileSync(path.join(dir, file), path.join(stage, file))
    }
    const { devDependencies, scripts, ...published } = pkg
    fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify({ ...published, optionalDependencies }, null, 2) + '\n')
    pack(stage)
  } finally {
    fs.rmSync(stage, { recursive: true, force: true })
  }
}

// The addon is built next to the JS files (`make node-package`), or already in its platform
// package (`napi artifacts`, in the release workflow).
family(root, path.join(root, 'npm'), (manifest, dir) => [path.join(root, 'bindings-node', manifest.main), path.join(dir, manifest.main)].find((f) => fs.existsSync(f)))
// The program is put in its platform package by packaging/dist.sh (from the emulator's wheel).
family(path.join(root, 'emulator', 'js'), path.join(root, 'emulator', 'js', 'npm'), (manifest, dir) => path.join(dir, manifest.files[0]))
