// What a failure says, for the notes and panels that report it.

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
