/**
 * Keep-alive connections for the transport in http-request.ts, one pool per origin
 * (protocol, host, port), without a cap: the callers' own limiters bound how many calls
 * are in flight. Idle connections are closed before the server would close them (a request
 * written as the server closes is lost, and is not resent here). An idle connection never keeps the process alive (unref), is closed after
 * the server's `Keep-Alive: timeout=N` (or IDLE_MS), and leaves the pool when it errors or
 * the server closes it.
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
  readonly timer: NodeJS.Timeout;
  readonly onGone: () => void;
}

const pools = new Map<string, Idle[]>();

/** An idle connection to `url`'s origin, or a new one (connecting; writes wait for it). */
export function acquire(url: URL): net.Socket {
  const idle = pools.get(url.origin)?.pop();
  if (idle !== undefined) {
    clearTimeout(idle.timer);
    idle.socket.off('error', idle.onGone).off('close', idle.onGone).off('data', idle.onGone);
    idle.socket.ref();
    return idle.socket;
  }
  return connect(url);
}

/** Gives a connection back after a whole response, for `keepAliveMs` (the server's own idle limit when it said one). */
export function release(url: URL, socket: net.Socket, keepAliveMs: number = IDLE_MS): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  const pool = pools.get(url.origin) ?? [];
  pools.set(url.origin, pool);
  const onGone = (): void => {
    const at = pool.findIndex((i) => i.socket === socket);
    if (at !== -1) clearTimeout((pool.splice(at, 1)[0] as Idle).timer);
    socket.destroy();
  };
  // Bytes from an idle connection are not an answer to anything: it is closed, as on error.
  socket.on('error', onGone).on('close', onGone).on('data', onGone);
  const timer = setTimeout(onGone, keepAliveMs);
  timer.unref();
  socket.unref();
  pool.push({ socket, timer, onGone });
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
  // Errors reach the exchange's own listener; this one keeps an error between two exchanges
  // (once one ended, before the pool listens) from being an uncaught exception.
  socket.on('error', () => undefined);
  return socket;
}
