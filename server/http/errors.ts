// Maps the port's errors (graph/errors.ts) and the edge's own refusals to HTTP answers.
// Every error body has one shape, `{ error: { code, message, accepted?, candidates? } }`, and never
// carries a stack trace or a driver's message: those go to the server log only.
import type { ErrorRequestHandler } from 'express';
import { AmbiguousRefError, InvalidInputError, NotFoundError, StoreUnavailableError } from '../../graph/errors.ts';

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** What the server would have accepted, for validation errors. */
    accepted?: string;
    /** Keys a reference could mean, for ambiguous references. */
    candidates?: string[];
  };
}

/** An answer the edge decided on itself (auth, rate limit, 501...), with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly accepted?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(code: string, message: string, extra: Partial<ErrorBody['error']> = {}): ErrorBody {
  return { error: { code, message, ...extra } };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
  /** True when the cause is ours or the store's, so the log keeps the full error. */
  unexpected: boolean;
}

/** Body-parser and other http-errors-style failures carry a numeric status and a type. */
function isClientHttpError(err: unknown): err is { status: number; type?: string; message: string } {
  if (typeof err !== 'object' || err === null) return false;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export function mapError(err: unknown, requestId: string): MappedError {
  if (err instanceof HttpError) {
    const extra = err.accepted === undefined ? {} : { accepted: err.accepted };
    return {
      status: err.status,
      body: errorBody(err.code, err.message, extra),
      headers: err.headers,
      unexpected: false,
    };
  }
  if (err instanceof NotFoundError) {
    return { status: 404, body: errorBody('not_found', err.message), unexpected: false };
  }
  if (err instanceof AmbiguousRefError) {
    return {
      status: 400,
      body: errorBody('ambiguous_ref', err.message, {
        candidates: err.candidates,
        accepted: 'one of the candidate keys (URL-encoded)',
      }),
      unexpected: false,
    };
  }
  if (err instanceof InvalidInputError) {
    const extra = err.accepted === undefined ? {} : { accepted: err.accepted };
    return { status: 400, body: errorBody('invalid_input', err.message, extra), unexpected: false };
  }
  if (err instanceof StoreUnavailableError) {
    return {
      status: 503,
      body: errorBody('store_unavailable', `the graph store is unavailable: ${err.message} (request ${requestId})`),
      headers: { 'Retry-After': '5' },
      unexpected: true,
    };
  }
  if (isClientHttpError(err)) {
    // Raised by express.json(): oversized or malformed bodies.
    if (err.type === 'entity.too.large') {
      return {
        status: 413,
        body: errorBody('payload_too_large', 'the request body is too large', {
          accepted: 'a JSON body of at most 16 KiB',
        }),
        unexpected: false,
      };
    }
    if (err.type === 'entity.parse.failed') {
      return {
        status: 400,
        body: errorBody('invalid_json', 'the request body is not valid JSON', { accepted: 'a JSON object' }),
        unexpected: false,
      };
    }
    if (/decode/i.test(err.message)) {
      return {
        status: 400,
        body: errorBody('bad_request', 'the URL path is not valid percent-encoding', {
          accepted: 'path segments encoded with encodeURIComponent',
        }),
        unexpected: false,
      };
    }
    return { status: err.status, body: errorBody('bad_request', 'the request could not be read'), unexpected: false };
  }
  return {
    status: 500,
    body: errorBody('internal', `internal error; the server log has the details under request id ${requestId}`),
    unexpected: true,
  };
}

/** Runs a store call and turns anything that is not a domain error into StoreUnavailableError:
 * an unexpected failure while the store answers is, to the client, the store failing. */
export async function fromStore<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (
      err instanceof NotFoundError ||
      err instanceof AmbiguousRefError ||
      err instanceof InvalidInputError ||
      err instanceof StoreUnavailableError
    ) {
      throw err;
    }
    throw new StoreUnavailableError('the store failed while answering', { cause: err });
  }
}

/** The last middleware: every error becomes a JSON answer; the log keeps what the client must not see. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const requestId = String(res.getHeader('X-Request-Id') ?? '');
  const mapped = mapError(err, requestId);
  if (mapped.unexpected) {
    req.log?.error({ err, cause: (err as { cause?: unknown })?.cause }, 'request failed');
  } else {
    req.log?.info({ status: mapped.status, code: mapped.body.error.code }, 'request refused');
  }
  if (res.headersSent) {
    // A streamed export failed midway: the client sees a cut connection, not a half file labelled complete.
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  for (const [name, value] of Object.entries(mapped.headers ?? {})) res.setHeader(name, value);
  res.status(mapped.status).json(mapped.body);
};
