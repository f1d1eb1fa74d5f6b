// Sends a body the compiler has checked against the route's documented schema (api/schemas.ts), so the
// store's types and the API's cannot drift apart unnoticed (the API tests check the bytes at run time).
import type { Response } from 'express';
import type { Static, TSchema } from 'typebox';

export function reply<T extends TSchema>(res: Response, _schema: T, body: Static<T>): void {
  res.json(body);
}
