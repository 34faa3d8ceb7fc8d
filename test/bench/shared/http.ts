import { request, type Agent, type OutgoingHttpHeaders } from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  /** Sent as application/json. */
  json?: string;
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal;
  /** Default 30 s, failing with "request timed out after 30 s". */
  timeoutMs?: number;
}

/** One request to a service on 127.0.0.1 over `agent` (keep-alive), the whole body read. */
export function httpRequest(agent: Agent, port: number, r: HttpRequest): Promise<HttpResponse> {
  const timeoutMs = r.timeoutMs ?? 30_000;
  const headers: OutgoingHttpHeaders = r.json === undefined
    ? { ...r.headers }
    : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.json), ...r.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: r.path, method: r.method, agent, headers, signal: r.signal }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`request timed out after ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(r.json);
  });
}
