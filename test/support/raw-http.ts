import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  readonly method: string;
  /** Sent as is: anything from \u0021 to \u00ff. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * A bare HTTP/1.1 client over node:http: no method, path or body is normalised on the way, so a
 * request reaches the server exactly as generated. Keeps at most `sockets` connections open.
 */
export function rawClient(base: string, sockets = 8) {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const send = (r: RawRequest): Promise<RawResponse> =>
    new Promise((resolve) => {
      const headers: Record<string, string> = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = String(r.body.length);
      const req = request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => resolve({ status: 0, headers: {}, text: `connection error: ${err.message}` }));
      });
      // A connection the server dropped is an answer too (status 0), for the caller to judge.
      req.on('error', (err) => resolve({ status: 0, headers: {}, text: `connection error: ${err.message}` }));
      req.end(r.body);
    });
  return { send, close: () => agent.destroy() };
}
