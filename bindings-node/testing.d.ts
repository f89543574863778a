import type { Client, ClientOptions } from './index'

/** Options of a test emulator. */
export interface EmulatorOptions {
  publicKey?: string
  secretKey?: string
  projectName?: string
  autostore?: boolean
  /** Synthetic files made at start. */
  seedFiles?: number
  /** Custom storage names that copies may target. */
  storages?: string[]
  /** Requests per second before answering 429. */
  rateLimit?: number
  /** The fraction (0..1) of REST answers that meet an injected fault. */
  faultRate?: number
  faults?: Array<'500' | '503' | 'drop' | 'slow'>
  /** How long a slow answer waits. */
  slowMs?: number
  faultSeed?: number
  /** How long conversion jobs take. */
  conversionDelayMs?: number
  webhooksEnabled?: boolean
  /** How long the program may take to say it listens (30 s); then it is stopped and start rejects. */
  startTimeoutMs?: number
}

/** A webhook delivery the emulator made. */
export interface Delivery {
  webhookId: number
  targetUrl: string
  event: string
  body: string
  signature: string | null
  status: number | null
  error: string | null
}

/** A REST request as the emulator received it (never with credentials). */
export interface RecordedRequest {
  method: string
  uri: string
  contentType: string | null
  accept: string | null
  authScheme: string | null
  userAgent: string | null
  body: string
}

/** The `ucare-emulator` program is not installed (`npm install -D ucare-emulator`). */
export declare class EmulatorNotFoundError extends Error {}

/** The path of the `ucare-emulator` program: `$UCARE_EMULATOR`, else the one the `ucare-emulator` package installed. */
export declare function emulatorBinary (): string

/** A local Uploadcare: the `ucare-emulator` program on a free port. */
export declare class Emulator {
  private constructor ()
  /** Starts one. */
  static start (options?: EmulatorOptions): Promise<Emulator>
  /** http://127.0.0.1:<port>/ */
  readonly baseUrl: string
  readonly publicKey: string
  /** The project's secret key (an emulator's, for other clients pointed at it). */
  readonly secretKey: string
  /** A client for this emulator. */
  client (options?: Partial<ClientOptions>): Client
  /** Uploads a file as the Upload API would; returns its UUID. */
  upload (name: string, content: string | Buffer | Uint8Array, options?: { store?: boolean }): string
  /** Makes a group of uploaded files; returns its id. */
  createGroup (uuids: Iterable<string>): string
  readonly deliveries: Delivery[]
  readonly requests: RecordedRequest[]
  readonly stats: { requests: number, faultsInjected: number, throttled: number, files: number, storedFiles: number }
  /** Stops the program and waits for it to exit. */
  stop (): Promise<void>
}
