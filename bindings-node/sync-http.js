'use strict'
// Synchronous HTTP, for the emulator's inspection calls, which `ucare/testing` offers as plain
// getters and methods (`emu.stats`, `emu.upload(...)`): a worker thread makes the request
// while this thread waits on a shared flag, then takes the answer off the message port.

const { Worker, MessageChannel, receiveMessageOnPort } = require('node:worker_threads')

const WORKER = `
const { workerData } = require('node:worker_threads')
const http = require('node:http')
const { port, flag } = workerData
function finish (answer) {
  port.postMessage(answer)
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
}
port.on('message', ({ url, method, body, contentType }) => {
  // What throws here (a URL http.request refuses) is this call's error; uncaught, it would
  // end the worker and leave every later call waiting out its 60 s.
  try {
    const headers = contentType ? { 'content-type': contentType } : {}
    const request = http.request(url, { method, headers, timeout: 30000 }, (response) => {
      const chunks = []
      response.on('data', (chunk) => chunks.push(chunk))
      response.on('end', () => finish({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }))
      response.on('error', (error) => finish({ error: error.message }))
    })
    request.on('timeout', () => request.destroy(new Error('no answer in 30 s')))
    request.on('error', (error) => finish({ error: error.message }))
    request.end(body == null ? undefined : Buffer.from(body))
  } catch (error) {
    finish({ error: error.message })
  }
})
`

let bridge = null

function open () {
  const flag = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  const worker = new Worker(WORKER, { eval: true, workerData: { port: port2, flag }, transferList: [port2] })
  // Neither keeps the process alive.
  worker.unref()
  port1.unref()
  return { flag, port: port1 }
}

/** Makes one HTTP request and waits for it: `{ status, text }`, or `{ error }`. */
function requestSync (url, { method = 'GET', body = null, contentType = null } = {}) {
  bridge ??= open()
  // An answer that came after its caller gave up must not be taken for this call's.
  while (receiveMessageOnPort(bridge.port) !== undefined);
  Atomics.store(bridge.flag, 0, 0)
  bridge.port.postMessage({ url, method, body, contentType })
  if (Atomics.wait(bridge.flag, 0, 0, 60000) === 'timed-out') return { error: 'no answer in 60 s' }
  return receiveMessageOnPort(bridge.port).message
}

module.exports = { requestSync }
