// The CLI's exit codes (README "Exit codes"); commands return them, ./main.ts maps errors to them.
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, storeUnavailable: 4 } as const;
