// A JSON body written piece by piece: the bytes JSON.stringify would give, without ever holding them as one
// string. A whole-estate diff is tens of megabytes of JSON; built whole it doubles the server's memory for
// the duration of the reply and blocks the event loop while it is built.
import type { Response } from 'express';
import type { Static, TSchema } from 'typebox';
import { writeChunks } from '../export/index.ts';

/** Arrays and objects down to `depth` are split into their members; below it each value is stringified whole. */
export function* jsonPieces(value: unknown, depth = 3): Generator<string> {
  if (
    depth <= 0 ||
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      yield* jsonPieces(value[i] as unknown, depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, member] of Object.entries(value)) {
    // JSON.stringify leaves out members it cannot write.
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(member, depth - 1);
  }
  yield '}';
}

/** Like reply.ts's `reply`, for large bodies: the same bytes, written progressively with backpressure. */
export async function replyStreamed<T extends TSchema>(res: Response, _schema: T, body: Static<T>): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  await writeChunks(res, jsonPieces(body));
  res.end();
}
