// A small client for the API tests: real HTTP (fetch), and every answer from a documented route is
// checked against the OpenAPI document on the way back.
import { checkResponse } from './openapi-check.ts';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
  /** Parsed JSON when the answer is JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever came back
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | string[]>;
  headers?: Record<string, string>;
  body?: string;
  /** Skip the OpenAPI check (undocumented URLs, on purpose). */
  unchecked?: boolean;
}

export function urlFor(base: string, template: string, opts: CallOptions = {}): string {
  let path = template;
  for (const [name, value] of Object.entries(opts.params ?? {}))
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(opts.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, String(v));
  }
  const qs = search.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

export function apiClient(base: string, defaults: { token?: string } = {}) {
  async function call(method: string, template: string, opts: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (defaults.token !== undefined && headers.Authorization === undefined)
      headers.Authorization = `Bearer ${defaults.token}`;
    if (opts.body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(urlFor(base, template, opts), {
      method,
      headers,
      ...(opts.body === undefined ? {} : { body: opts.body }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    const type = res.headers.get('content-type');
    const body: unknown = type?.startsWith('application/json') ? JSON.parse(text) : undefined;
    if (res.status >= 400 && /\n\s+at\s/.test(text))
      throw new Error(`${method} ${template} leaked a stack trace: ${text.slice(0, 300)}`);
    if (!opts.unchecked) checkResponse(method, template, res.status, type, body);
    return { status: res.status, headers: res.headers, text, bytes, body };
  }
  return {
    call,
    get: (template: string, opts?: CallOptions) => call('GET', template, opts),
    post: (template: string, opts?: CallOptions) => call('POST', template, opts),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
