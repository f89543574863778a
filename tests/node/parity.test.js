'use strict'
// The TypeScript models (index.d.ts) against the Rust ones: every field the Rust model has
// (read from the JSON Schemas the core derives from its definitions) exists in the
// interface in camelCase with the same kind, apart from the deliberate differences in
// tests/parity.json; `extra` exists exactly where the Rust model keeps unknown fields.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const ts = require('typescript')
const { ROOT } = require('./helpers')

const addon = require(path.join(ROOT, 'bindings-node', 'native'))
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

/** The kind of a JSON Schema property and whether it may be null. */
function rustKind (prop, defs) {
  if (prop.$ref) {
    const name = prop.$ref.split('/').pop()
    const target = defs[name]
    const options = target.anyOf ?? target.oneOf ?? [{}]
    const closed = target.enum || options.every((o) => 'const' in o || o.type === 'string')
    return closed && target.type !== 'object' ? ['str', false] : [`model:${name}`, false]
  }
  if (prop.anyOf) {
    const options = prop.anyOf.filter((o) => o.type !== 'null')
    const [kind] = options.length === 1 ? rustKind(options[0], defs) : ['any']
    return [kind, options.length < prop.anyOf.length]
  }
  const types = Array.isArray(prop.type) ? prop.type : [prop.type]
  const base = types.find((t) => t !== 'null')
  const optional = types.includes('null')
  if (base === 'string') return [prop.format === 'date-time' ? 'datetime' : 'str', optional]
  if (base === 'object') return [prop.additionalProperties?.type === 'string' ? 'dict[str]' : 'dict', optional]
  return [{ integer: 'number', number: 'number', boolean: 'bool', array: 'list' }[base] ?? 'any', optional]
}

/** Every interface of index.d.ts: name to { field: [kind, optional] }. */
function interfaces () {
  const file = path.join(ROOT, 'bindings-node', 'index.d.ts')
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true)
  const aliases = new Map()
  const found = new Map()
  for (const node of source.statements) {
    if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type)
  }
  function kind (node) {
    if (ts.isUnionTypeNode(node)) {
      const options = node.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword))
      const kinds = options.map((t) => kind(t)[0])
      const one = new Set(kinds).size === 1 ? kinds[0] : 'any'
      return [one, options.length < node.types.length]
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return ['str', false]
    if (ts.isArrayTypeNode(node)) return ['list', false]
    if (ts.isTypeLiteralNode(node)) {
      const allStrings = node.members.every((m) => m.type && m.type.kind === ts.SyntaxKind.StringKeyword)
      return [allStrings ? 'dict[str]' : 'dict', false]
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(source)
      const args = node.typeArguments ?? []
      if (name === 'Date') return ['datetime', false]
      if (name === 'Array') return ['list', false]
      if (name === 'Record') return [args[1].kind === ts.SyntaxKind.StringKeyword ? 'dict[str]' : 'dict', false]
      if (aliases.has(name)) return kind(aliases.get(name))
      return [`model:${name}`, false]
    }
    return [{
      [ts.SyntaxKind.StringKeyword]: 'str',
      [ts.SyntaxKind.NumberKeyword]: 'number',
      [ts.SyntaxKind.BooleanKeyword]: 'bool'
    }[node.kind] ?? 'any', false]
  }
  for (const node of source.statements) {
    if (!ts.isInterfaceDeclaration(node)) continue
    const fields = {}
    for (const member of node.members) {
      if (ts.isPropertySignature(member) && member.type) fields[member.name.getText(source)] = kind(member.type)
    }
    found.set(node.name.text, fields)
  }
  return found
}

const same = (rust, host) => rust[0] === 'any' || (rust[0] === host[0] && rust[1] === host[1])

test('every TypeScript model matches its Rust model', () => {
  const flattened = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'parity.json'), 'utf8')).flattened
  const schemas = JSON.parse(addon.modelsSchema())
  const declared = interfaces()
  const problems = []
  let checked = 0
  for (const [version, group] of Object.entries(schemas)) {
    for (const [name, schema] of Object.entries(group)) {
      const have = declared.get(name)
      if (!have) {
        problems.push(`${name} has no interface`)
        continue
      }
      for (const [field, prop] of Object.entries(schema.properties)) {
        const mapped = flattened[`${version}/${name}/${field}`]
        const expected = mapped
          ? Object.fromEntries(Object.entries(mapped).filter(([k]) => k !== 'why'))
          : { [field]: rustKind(prop, schema.$defs ?? {}) }
        for (const [hostName, kind] of Object.entries(expected)) {
          const key = camel(hostName)
          checked++
          if (!(key in have)) problems.push(`${name}.${key} is missing (Rust ${field}: ${kind})`)
          else if (!same(kind, have[key])) problems.push(`${name}.${key} is ${have[key]}, Rust ${field} is ${kind}`)
        }
      }
      const keepsUnknown = schema.additionalProperties === true
      if (keepsUnknown !== ('extra' in have)) problems.push(`${name}: Rust ${keepsUnknown ? 'keeps' : 'drops'} unknown fields, the interface ${'extra' in have ? 'has' : 'has no'} extra`)
    }
  }
  assert.deepEqual(problems, [])
  assert.ok(checked > 80, `${checked} fields checked`)
})

test('the checker catches a wrong model', () => {
  const schema = JSON.parse(addon.modelsSchema()).shared.ImageInfo
  assert.deepEqual(rustKind(schema.properties.width, {}), ['number', true])
  assert.ok(!same(rustKind(schema.properties.width, {}), ['str', true]))
  assert.ok(!same(rustKind(schema.properties.width, {}), ['number', false]))
})

// Listings hand files over packed (bindings-node/src/packed.rs), `files.info` as JSON: for
// any file the core decodes, both must give the same model, in both API versions.
const fc = require('fast-check')
const models = require(path.join(ROOT, 'bindings-node', 'models'))

const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('', 'image/png', 'a"b\\c\n', 'ü😀'))
const maybe = (arb) => fc.option(arb, { nil: null })
const json = fc.jsonValue({ maxDepth: 2 })
const extras = fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 3 })
const when = fc.tuple(fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0)), noInvalidDate: true }), fc.constantFrom('', '1', '123456', '999999999'))
  .map(([at, digits]) => digits ? at.toISOString().replace(/\.\d+Z$/, `.${digits}Z`) : at.toISOString())
const image = fc.record({
  color_mode: maybe(text), orientation: maybe(fc.integer({ min: -8, max: 8 })), format: maybe(text), sequence: maybe(fc.boolean()),
  height: maybe(fc.nat()), width: maybe(fc.nat()), geo_location: maybe(json), datetime_original: maybe(text),
  dpi: maybe(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 2 }))
}, { requiredKeys: [] })
const content = fc.record({
  mime: maybe(fc.record({ mime: text, type: text, subtype: text })),
  image: maybe(image),
  video: maybe(fc.record({ duration: maybe(fc.nat()), format: maybe(text), bitrate: maybe(fc.nat()), audio: fc.constant([]), video: fc.constant([]) }))
}, { requiredKeys: [] })
const common = {
  uuid: fc.uuid(), original_filename: maybe(text), mime_type: maybe(text), size: maybe(fc.nat({ max: Number.MAX_SAFE_INTEGER })),
  is_image: maybe(fc.boolean()), is_ready: maybe(fc.boolean()), datetime_uploaded: maybe(when), datetime_stored: maybe(when),
  datetime_removed: maybe(when), original_file_url: maybe(text), url: maybe(text)
}
// Unmodelled fields, sometimes named as a field `models.file` reads that the version does
// not model (those files cannot be packed and cross as JSON).
const file = (fields) => {
  const stray = [...models.fileFields].filter((key) => !(key in fields))
  return fc.tuple(fc.record(fields, { requiredKeys: ['uuid'] }), extras, fc.subarray(stray), json)
    .map(([known, extra, strays, value]) => Object.assign(extra, Object.fromEntries(strays.map((key) => [key, value])), known))
}
const v07 = file({
  ...common,
  content_info: maybe(content),
  metadata: maybe(fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 })),
  variations: maybe(json),
  appdata: maybe(fc.dictionary(fc.constantFrom('some_addon', 'another'), json, { maxKeys: 2 }))
})
const v05 = file({ ...common, image_info: maybe(image), source: maybe(text) })

// More MIME types on one page than `packed.rs` scans for (past 16 strings it looks them up
// in a map), each file keeping its own.
test('a packed page with many distinct strings keeps each file its own', () => {
  for (const version of ['0.7', '0.5']) {
    const results = Array.from({ length: 60 }, (_, i) => {
      const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
      const file = { uuid, mime_type: `type/${i % 40}`, url: `https://api/files/${uuid}/` }
      // (v0.5 has no content_info: a v0.5 file carrying one crosses unpacked)
      return version === '0.5' ? file : { ...file, content_info: { mime: { mime: `type/${i % 40}`, type: 'type', subtype: `${i % 40}` } } }
    })
    const page = JSON.stringify({ next: null, previous: null, total: 60, per_page: 100, results })
    const packed = JSON.parse(addon.packFilePage(version, page))
    assert.ok(packed.strings.length > 16 && Object.keys(packed.whole).length === 0)
    const listed = models.packedFilePage(packed).results
    assert.deepStrictEqual(listed, JSON.parse(addon.filePageResults(version, page)).map(models.file))
    assert.equal(listed[59].mimeType, 'type/19')
  }
})

// Times cross as milliseconds after the page's first one: the furthest apart the API's
// format allows, before 1970 with a fraction under a millisecond, and a file sent whole
// (its columns hold nulls) between packed ones.
test('a packed page keeps times from year 1 to 9999 exact, next to a file sent whole', () => {
  for (const version of ['0.7', '0.5']) {
    const at = ['9999-12-31T23:59:59.999999Z', '0001-01-01T00:00:00Z', '1969-12-31T23:59:59.9995Z', null]
    const results = at.map((when, i) => ({ uuid: `u${i}`, datetime_uploaded: when, datetime_stored: at[(i + 1) % 4], datetime_removed: at[(i + 2) % 4], size: i }))
    results.splice(2, 0, { uuid: 'whole', url: 'x', [version === '0.7' ? 'source' : 'content_info']: 'read by models.file', size: 9 })
    const page = JSON.stringify({ next: null, previous: null, total: 5, per_page: 100, results })
    const packed = JSON.parse(addon.packFilePage(version, page))
    assert.deepStrictEqual(Object.keys(packed.whole), ['2'])
    const listed = models.packedFilePage(packed).results
    assert.deepStrictEqual(listed, JSON.parse(addon.filePageResults(version, page)).map(models.file))
    assert.equal(listed[0].datetimeUploaded.toISOString(), '9999-12-31T23:59:59.999Z')
    assert.equal(listed[1].datetimeUploaded.toISOString(), '0001-01-01T00:00:00.000Z')
    assert.equal(listed[3].datetimeUploaded.toISOString(), '1969-12-31T23:59:59.999Z')
    assert.equal(listed[2].uuid, 'whole')
    // Years the format does not have but chrono reads, too far apart to count from one of
    // them exactly: the page counts from 1970.
    const far = JSON.stringify({ next: null, previous: null, total: 2, per_page: 100, results: [{ uuid: 'a', datetime_uploaded: '+200000-01-01T00:00:00.001Z' }, { uuid: 'b', datetime_uploaded: '-200000-01-01T00:00:00Z' }] })
    const farPacked = JSON.parse(addon.packFilePage(version, far))
    assert.equal(farPacked.epoch, 0)
    assert.deepStrictEqual(models.packedFilePage(farPacked).results, JSON.parse(addon.filePageResults(version, far)).map(models.file))
    assert.equal(models.packedFilePage(farPacked).results[0].datetimeUploaded.getTime(), Date.UTC(200000, 0, 1) + 1)
  }
})

for (const [version, files] of [['0.7', v07], ['0.5', v05]]) {
  test(`a packed page gives the models files.info gives (v${version})`, () => {
    fc.assert(fc.property(fc.array(files, { maxLength: 4 }), (results) => {
      const page = JSON.stringify({ next: null, previous: null, total: results.length, per_page: 100, results })
      const viaInfo = JSON.parse(addon.filePageResults(version, page)).map(models.file)
      const listed = models.packedFilePage(JSON.parse(addon.packFilePage(version, page)))
      assert.deepStrictEqual(listed.results, viaInfo)
      assert.equal(listed.total, results.length)
    }), { numRuns: 300 })
  })
}
