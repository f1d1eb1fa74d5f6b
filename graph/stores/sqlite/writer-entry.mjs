// A worker thread does not inherit the main thread's tsx hooks: register them, then run the TypeScript worker.
const { register } = await import('tsx/esm/api');
register();
await import('./writer-worker.ts');
