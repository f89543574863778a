// ESM entry of ucare/testing.
import testing from './testing.js'

export const { Emulator, EmulatorNotFoundError, emulatorBinary } = testing
export default testing
