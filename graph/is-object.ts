// The one test for "a JSON object" (not null, not an array) that every reader of untrusted JSON uses.
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
