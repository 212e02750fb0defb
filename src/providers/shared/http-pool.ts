/**
 * Keep-alive connections for the transport in http-request.ts, one pool per origin
 * (protocol, host, port), without a cap: the callers' own limiters bound how many calls
 * are in flight. A connection is never reused once idle as long as the server may keep it
 * (its `Keep-Alive: timeout=N`, else IDLE_MS): a request written as the server closes is
 * lost, and is not resent here. An idle connection never keeps the process alive (unref), is
 * closed within a second after that limit, and leaves the pool when it errors or the server
 * closes it.
 */
import { createRequire } from 'node:module';
import net from 'node:net';

// node:tls is loaded for the first https origin only: a run against emulators on loopback
// (or plain-http endpoints) never needs it, and loading it cost every command ~10 ms.
const require = createRequire(import.meta.url);
let tlsModule: typeof import('node:tls') | undefined;
const tls = (): typeof import('node:tls') => (tlsModule ??= require('node:tls') as typeof import('node:tls'));

/** How long an idle connection is kept when the server names no timeout: under Node's server default of 5 s. */
export const IDLE_MS = 4_000;

interface Idle {
  readonly socket: net.Socket;
  /** Date.now() when it was given back. */
  readonly since: number;
  readonly keepAliveMs: number;
}

const pools = new Map<string, Idle[]>();
/** Sockets now idle in a pool: bytes, an error or a close on one of these takes it out. */
const idle = new WeakSet<net.Socket>();
/**
 * What reads a connection while a request is in flight on it. Each connection has one set of
 * listeners for its whole life, which hand its events to its reader, or take it out of its
 * pool between requests: adding and removing four listeners per call cost a refresh more
 * than the rest of the pool (putting a stream back in flowing mode on each 'data' listener).
 */
export interface ConnectionReader {
  onData(chunk: Buffer): void;
  /** The server ended or closed the connection. */
  onEnd(): void;
  onError(error: Error): void;
}

const readers = new WeakMap<net.Socket, ConnectionReader>();

/** Hands `socket`'s events to `reader` from now on, or, with undefined, to the pool again. */
export function readWith(socket: net.Socket, reader: ConnectionReader | undefined): void {
  if (reader === undefined) readers.delete(socket);
  else readers.set(socket, reader);
}

/** Closes connections idle past their limit; runs only while some are idle, and never keeps the process alive. */
let sweeper: NodeJS.Timeout | undefined;
const SWEEP_MS = 1_000;

/**
 * An idle connection to `url`'s origin, or a new one (connecting; writes wait for it).
 * `origin` is `url.origin`, which the caller reads once: URL builds it again on each read.
 */
export function acquire(url: URL, origin: string = url.origin): net.Socket {
  const pool = pools.get(origin);
  for (let entry = pool?.pop(); entry !== undefined; entry = pool?.pop()) {
    const { socket } = entry;
    idle.delete(socket);
    // Past its limit the server may be closing it: a request written now could be lost.
    if (!socket.destroyed && Date.now() - entry.since < entry.keepAliveMs) return socket.ref();
    socket.destroy();
  }
  return connect(url);
}

/**
 * Gives a connection to `origin` back after a whole response, for `keepAliveMs` (the server's own idle
 * limit when it said one). No timer per connection: a call per user would set and clear one
 * each; `acquire` checks the age, and one sweep a second closes the connections left over.
 */
export function release(origin: string, socket: net.Socket, keepAliveMs: number = IDLE_MS): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  let pool = pools.get(origin);
  if (pool === undefined) pools.set(origin, (pool = []));
  pool.push({ socket, since: Date.now(), keepAliveMs });
  idle.add(socket);
  socket.unref();
  sweeper ??= setInterval(sweep, SWEEP_MS).unref();
}

function sweep(): void {
  const now = Date.now();
  let left = 0;
  for (const [origin, pool] of pools) {
    const keep = pool.filter((entry) => {
      if (!entry.socket.destroyed && now - entry.since < entry.keepAliveMs) return true;
      idle.delete(entry.socket);
      entry.socket.destroy();
      return false;
    });
    if (keep.length === 0) pools.delete(origin);
    else pools.set(origin, keep);
    left += keep.length;
  }
  if (left === 0) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** Takes `socket` out of its pool (it closed, failed or spoke unasked) and closes it. */
function drop(socket: net.Socket): void {
  if (!idle.delete(socket)) return;
  for (const pool of pools.values()) {
    const at = pool.findIndex((entry) => entry.socket === socket);
    if (at !== -1) pool.splice(at, 1);
  }
  socket.destroy();
}

/** The idle limit a `Keep-Alive: timeout=N` header gives, a little under N seconds; undefined without one. */
export function keepAliveMs(header: string | undefined): number | undefined {
  const m = header === undefined ? null : /(?:^|,)\s*timeout=(\d+)/i.exec(header);
  if (m === null) return undefined;
  return Math.max(0, Math.min(IDLE_MS, Number(m[1]) * 1000 - 500));
}

function connect(url: URL): net.Socket {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  // URL keeps an IPv6 literal in brackets; the socket wants it bare.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const socket =
    url.protocol === 'https:'
      ? tls().connect({ host, port, ...(net.isIP(host) === 0 ? { servername: host } : {}), ALPNProtocols: ['http/1.1'] })
      : net.connect({ host, port });
  socket.setNoDelay(true);
  // Between two exchanges an error is not an uncaught exception: it, a close by the server, or
  // bytes that answer nothing take the idle connection out of its pool.
  socket
    .on('data', (chunk: Buffer) => {
      const reader = readers.get(socket);
      if (reader === undefined) drop(socket);
      else reader.onData(chunk);
    })
    .on('end', () => readers.get(socket)?.onEnd())
    .on('error', (error: Error) => {
      const reader = readers.get(socket);
      if (reader === undefined) drop(socket);
      else reader.onError(error);
    })
    .on('close', () => {
      const reader = readers.get(socket);
      if (reader === undefined) drop(socket);
      else reader.onEnd();
    });
  return socket;
}
