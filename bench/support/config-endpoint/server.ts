// A local HTTP server speaking the AWS Config JSON 1.1 protocol (X-Amz-Target:
// StarlingDoveService.<Operation>), so the collector is tested through the real SDK over real HTTP.
// The region a call is for is read from its SigV4 credential scope, as the service routes it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, type AccessRule, type ScriptedFault } from './faults.ts';
import { OPERATIONS, resourceTypeOf, ServiceError, type CallContext } from './operations.ts';
import type { ConfigWorld } from './world.ts';

export interface EndpointOptions {
  world: ConfigWorld;
  /** Account answering account-level calls; default: the world's first account. */
  callerAccount?: string;
  /** Aggregator names that exist. */
  aggregators?: string[];
  /** Page size cap per operation (the request's limit still applies when smaller). */
  pageSize?: Record<string, number>;
  /** Fraction of calls answered with ThrottlingException (seeded, reproducible). */
  throttleRate?: number;
  throttleSeed?: number;
  throttleOperations?: string[];
  faults?: ScriptedFault[];
  accessDenied?: AccessRule[];
  emptyHistoryPages?: number;
  /** BatchGet leaves this many keys unprocessed the first time it sees them. */
  unprocessedPerBatch?: number;
  /** Milliseconds to wait before answering (lets tests abort mid-request). */
  latencyMs?: number;
}

export interface LoggedRequest {
  seq: number;
  operation: string;
  region: string;
  params: Record<string, unknown>;
  status: number;
  /** The error type or injected fault, when the call did not succeed. */
  outcome: string;
  /** CIs in the response, as `key|captureTime` (ISO), for "every CI served is stored once". */
  served: string[];
}

export interface ConfigEndpoint {
  url: string;
  /** Every call received, in order (no headers: they carry the caller's signature). */
  log: LoggedRequest[];
  /** Calls per operation (all attempts, failed ones included). */
  calls(operation?: string): number;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/x-amz-json-1.1';

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'x-amzn-requestid': `req-${Math.random().toString(16).slice(2)}`,
  });
  res.end(body);
}

const errorBody = (type: string, message: string) => JSON.stringify({ __type: type, message });

function regionOf(req: http.IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? /Credential=[^/]+\/\d{8}\/([^/]+)\/config\/aws4_request/.exec(auth) : null;
  return m?.[1];
}

function denied(rules: AccessRule[], operation: string, region: string, params: Record<string, unknown>): boolean {
  return rules.some(
    (r) =>
      (!r.regions || r.regions.includes(region)) &&
      (!r.operations || r.operations.includes(operation)) &&
      (!r.resourceTypes || r.resourceTypes.includes(resourceTypeOf(params) ?? '')),
  );
}

function servedIds(result: Record<string, unknown>): string[] {
  const rows: Record<string, unknown>[] = [];
  for (const r of (result.Results as string[] | undefined) ?? []) rows.push(JSON.parse(r) as Record<string, unknown>);
  for (const k of ['configurationItems', 'baseConfigurationItems', 'BaseConfigurationItems']) {
    rows.push(...((result[k] as Record<string, unknown>[] | undefined) ?? []));
  }
  return rows.map((r) => {
    const t = r.configurationItemCaptureTime;
    const iso = typeof t === 'number' ? new Date(t * 1000).toISOString() : String(t);
    return `${String(r.accountId)}|${String(r.awsRegion)}|${String(r.resourceType)}|${String(r.resourceId)}|${iso}`;
  });
}

export async function startConfigEndpoint(opts: EndpointOptions): Promise<ConfigEndpoint> {
  const log: LoggedRequest[] = [];
  const faults = new FaultPlan(
    opts.throttleRate ?? 0,
    opts.throttleSeed ?? 1,
    opts.throttleOperations,
    opts.faults ?? [],
  );
  const unprocessed = { perCall: opts.unprocessedPerBatch ?? 0, done: new Set<string>() };
  const account = opts.callerAccount ?? opts.world.accounts()[0] ?? '000000000000';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = () => handle(req, Buffer.concat(chunks).toString('utf8'), res);
      if (opts.latencyMs) setTimeout(answer, opts.latencyMs);
      else answer();
    });
  });

  function handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('StarlingDoveService.') ? target.slice('StarlingDoveService.'.length) : '';
    const region = regionOf(req) ?? '';
    let params: Record<string, unknown> = {};
    const entry: LoggedRequest = {
      seq: log.length + 1,
      operation,
      region,
      params,
      status: 200,
      outcome: 'ok',
      served: [],
    };
    log.push(entry);
    const fail = (status: number, type: string, message: string) => {
      entry.status = status;
      entry.outcome = type;
      send(res, status, errorBody(type, message));
    };

    if (req.method !== 'POST' || String(req.headers['content-type'] ?? '').split(';')[0] !== JSON_TYPE)
      return fail(400, 'SerializationException', 'expected a POST with application/x-amz-json-1.1');
    if (!region) return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    const handler = OPERATIONS[operation];
    if (!handler) return fail(400, 'UnknownOperationException', `unknown operation ${target}`);
    try {
      const parsed = JSON.parse(body || '{}') as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      params = parsed as Record<string, unknown>;
      entry.params = params;
    } catch {
      return fail(400, 'SerializationException', 'request body is not a JSON object');
    }

    if (opts.accessDenied && denied(opts.accessDenied, operation, region, params)) {
      return fail(
        400,
        'AccessDeniedException',
        `User: arn:aws:iam::${account}:user/test is not authorized to perform: config:${operation} in ${region}`,
      );
    }
    const fault = faults.next(operation, region);
    if (fault === 'throttle') return fail(400, 'ThrottlingException', 'Rate exceeded');
    if (fault === 'internal')
      return fail(
        500,
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
      );
    if (fault === 'unavailable') return fail(503, 'ServiceUnavailableException', 'Service Unavailable');
    if (fault === 'access-denied')
      return fail(400, 'AccessDeniedException', `not authorized to perform: config:${operation}`);
    if (fault === 'unrecognized-client')
      return fail(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');

    const ctx: CallContext = {
      region,
      account,
      world: opts.world,
      aggregators: new Set(opts.aggregators ?? []),
      pageSize: (op, requested, max) => Math.min(requested ?? max, opts.pageSize?.[op] ?? max),
      emptyHistoryPages: opts.emptyHistoryPages ?? 0,
      unprocessed,
    };
    let result: Record<string, unknown>;
    try {
      result = handler(params, ctx);
    } catch (e) {
      if (e instanceof ServiceError) return fail(e.status, e.type, e.message);
      return fail(500, 'InternalFailure', (e as Error).message);
    }
    entry.served = servedIds(result);
    if (fault === 'malformed') {
      entry.served = [];
      entry.outcome = 'malformed';
      const text = JSON.stringify(result);
      return send(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    }
    send(res, 200, JSON.stringify(result));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    calls: (operation) => (operation ? log.filter((l) => l.operation === operation).length : log.length),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
