// Typos a user could make, each of which `tsc --strict` must reject (v07.test.js checks that
// every line marked `// error` is reported, and nothing else).
import { Client, AddonState, JobState } from 'ucare'

const client = new Client({ publicKey: 'pk', secretKey: 'sk' })
client.files.list({ ordering: '-datetime_uplaoded' }) // error
client.groups.list({ ordering: 'created' }) // error
void client.webhooks.create('https://example.com/h', { event: 'file.upload' }) // error
void client.addons.run('remove_background', '21975c81-7f57-4c7a-aef9-acfe28779f78') // error
void client.conversions.status(1, { kind: 'audio' }) // error
void new Client({ publicKey: 'pk', secretKey: 'sk', apiVersion: '0.6' }) // error
void new Client({ publicKey: 'pk', secretKey: 'sk', auth: 'basic' }) // error
void client.addons.removeBg('21975c81-7f57-4c7a-aef9-acfe28779f78', { channels: 'rgb' }) // error
export const state: AddonState = 'finished' // error
export const jobState: JobState = 'done' // error
client.files.list({ ordering: '-datetime_uploaded' })
