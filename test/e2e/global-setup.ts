// Optional vitest globalSetup: builds client/dist once before any test, so `npm start` after a
// test run serves the explorer that was tested. (The e2e files also build their own copy, so they
// do not depend on this being wired.)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  await build({ configFile: path.join(root, 'client/vite.config.ts'), logLevel: 'warn' });
}
