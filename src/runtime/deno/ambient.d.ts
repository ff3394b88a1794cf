// Types for `tsc` (npm run typecheck) of the Deno runtime files: the part of Deno's API they use,
// and node:sqlite, which @types/node 20 lacks. Deno itself never reads this file; it has the full
// declarations built in.

interface ImportMeta {
  /** true when this module is the program's entry point. */
  main: boolean;
}

declare namespace Deno {
  type KvKeyPart = string | number | bigint | boolean | Uint8Array;
  type KvKey = readonly KvKeyPart[];
  interface KvEntry<T> {
    key: KvKey;
    value: T;
    versionstamp: string;
  }
  interface KvCommitResult {
    ok: true;
    versionstamp: string;
  }
  interface KvCommitError {
    ok: false;
  }
  interface KvEnqueueOptions {
    delay?: number;
    keysIfUndelivered?: KvKey[];
    backoffSchedule?: number[];
  }
  interface AtomicOperation {
    set(key: KvKey, value: unknown, options?: { expireIn?: number }): this;
    delete(key: KvKey): this;
    enqueue(value: unknown, options?: KvEnqueueOptions): this;
    commit(): Promise<KvCommitResult | KvCommitError>;
  }
  interface Kv {
    get<T = unknown>(key: KvKey): Promise<{ key: KvKey; value: T | null; versionstamp: string | null }>;
    set(key: KvKey, value: unknown, options?: { expireIn?: number }): Promise<KvCommitResult>;
    delete(key: KvKey): Promise<void>;
    list<T = unknown>(selector: { prefix: KvKey }, options?: { limit?: number }): AsyncIterableIterator<KvEntry<T>>;
    enqueue(value: unknown, options?: KvEnqueueOptions): Promise<KvCommitResult>;
    listenQueue(handler: (value: unknown) => Promise<void> | void): Promise<void>;
    atomic(): AtomicOperation;
    close(): void;
  }
  function openKv(path?: string): Promise<Kv>;
  /** Lets the process exit while the timer is pending. */
  function unrefTimer(id: number): void;

  interface NetAddr {
    transport: "tcp" | "udp";
    hostname: string;
    port: number;
  }
  interface HttpServer<A = NetAddr> {
    readonly addr: A;
    readonly finished: Promise<void>;
    shutdown(): Promise<void>;
  }
  interface ServeOptions {
    port?: number;
    hostname?: string;
    signal?: AbortSignal;
    onListen?: (localAddr: NetAddr) => void;
  }
  function serve(options: ServeOptions, handler: (request: Request) => Response | Promise<Response>): HttpServer<NetAddr>;

  interface DirEntry {
    name: string;
    isFile: boolean;
    isDirectory: boolean;
    isSymlink: boolean;
  }
  function readDir(path: string | URL): AsyncIterable<DirEntry>;
  function readTextFile(path: string | URL): Promise<string>;

  type Signal = "SIGINT" | "SIGTERM" | "SIGHUP";
  function addSignalListener(signal: Signal, handler: () => void): void;
  function exit(code?: number): never;
  const args: string[];
  const env: {
    get(key: string): string | undefined;
    toObject(): Record<string, string>;
  };
}

declare module "node:sqlite" {
  type SQLInputValue = null | number | bigint | string | Uint8Array;
  type SQLOutputValue = null | number | bigint | string | Uint8Array;
  interface StatementColumn {
    name: string;
    column: string | null;
    table: string | null;
    database: string | null;
    type: string | null;
  }
  class StatementSync {
    all(...parameters: SQLInputValue[]): unknown[];
    get(...parameters: SQLInputValue[]): unknown;
    run(...parameters: SQLInputValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
    columns(): StatementColumn[];
    setReturnArrays(enabled: boolean): void;
    setReadBigInts(enabled: boolean): void;
  }
  class DatabaseSync {
    constructor(path: string, options?: { open?: boolean; readOnly?: boolean });
    exec(sql: string): void;
    prepare(sql: string): StatementSync;
    close(): void;
  }
}
