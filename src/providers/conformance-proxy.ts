/**
 * A pass-through HTTP proxy for conformance runs against emulators: it forwards every
 * request, and can swallow the answer to a chosen one after the emulator served it (the
 * connection drops), which is the "the provider acted but the answer was lost" case that
 * all-or-nothing must survive. Test code only.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which request's answer to lose. */
export type RequestMatcher = (method: string, path: string) => boolean;

/** A running proxy. */
export interface LossyProxy {
  /** `http://127.0.0.1:PORT`: give it to the adapter instead of the emulator's URL. */
  readonly url: string;
  /** Loses the answer of the next request `match` accepts (once). */
  loseNextAnswer(match: RequestMatcher): void;
  /** Answers lost so far. */
  readonly lost: number;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 in front of `target` (an emulator's URL). */
export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const armed: RequestMatcher[] = [];
  let lost = 0;
  const server: Server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const index = armed.findIndex((m) => m(method, path));
    const drop = index >= 0;
    if (drop) armed.splice(index, 1);
    const upstream = httpRequest(`${target}${path}`, { method, headers: req.headers }, (answer) => {
      if (drop) {
        lost += 1;
        // Read the whole answer, so the emulator finished the call, then hang up.
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loseNextAnswer: (match) => void armed.push(match),
    get lost() {
      return lost;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
