// Errors the port raises; the CLI and HTTP edge map them to exit codes and status codes.

/** The reference names no resource (HTTP 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly ref: string) {
    super(`no resource matches "${ref}"`);
  }
}

/** The reference names several resources; the message lists them (HTTP 400). */
export class AmbiguousRefError extends Error {
  override readonly name = 'AmbiguousRefError';
  constructor(
    readonly ref: string,
    readonly candidates: string[],
  ) {
    super(`"${ref}" matches ${candidates.length} resources; use one of these keys: ${candidates.join(', ')}`);
  }
}

/** A request or input is malformed (HTTP 400); `accepted` says what would be. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    readonly accepted?: string,
  ) {
    super(message);
  }
}

/** The store cannot be reached or failed (HTTP 503). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
