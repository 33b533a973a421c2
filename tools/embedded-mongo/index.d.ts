export type EmbeddedKind = 'mongod' | 'ferretdb' | 'mongo-java-server' | 'mongodb-memory-server';

/** Engines EMBEDDED_DB may name. */
export type EmbeddedEngine = 'ferretdb' | 'mongo-java-server';
export const ENGINES: readonly EmbeddedEngine[];

export interface EmbeddedMongoOptions {
  /** Directory that keeps the data across restarts. */
  dataDir: string;
  /** Where progress lines go; defaults to stderr. */
  log?: (line: string) => void;
  /** TCP port on 127.0.0.1; a free one when omitted (a restart on the same port keeps the URI). */
  port?: number;
  /** Directory for the built FerretDB launcher; defaults to `<repo>/.cache/embedded-mongo`. */
  cacheDir?: string;
  /**
   * FerretDB even when a mongod is on PATH: as Conecta builds it (`patched`, the default engine) or
   * as published (`upstream`, without the filter pushdown; for benchmarks).
   */
  ferretdb?: 'patched' | 'upstream';
  /** This engine only; defaults to EMBEDDED_DB, and without it to the order mongod, FerretDB, … */
  engine?: EmbeddedEngine;
}

export interface EmbeddedMongo {
  kind: EmbeddedKind;
  /** MongoDB connection string without a database name, ending in `/`. */
  uri: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Starts the first available embedded server and resolves once it accepts connections. */
export function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo>;

/** Builds the FerretDB launcher if the cached binary is missing or stale; returns its path or null without Go. */
export function ensureFerretBinary(options?: {
  cacheDir?: string;
  log?: (line: string) => void;
  /** Build against FerretDB as published, without Conecta's filter pushdown (benchmarks). */
  upstream?: boolean;
}): Promise<string | null>;

/** Builds the mongo-java-server launcher with Maven if missing or stale; returns its directory. */
export function ensureMongoJavaServer(options?: {
  cacheDir?: string;
  log?: (line: string) => void;
}): Promise<string>;
