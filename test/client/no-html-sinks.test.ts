// A lint that fails the build when client code gains a way to turn data into markup: untrusted
// names, tags and configuration must reach the DOM only as text (textContent, text nodes, setAttribute).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|js|mjs|html)$/.test(name)) out.push(full);
  }
  return out;
}

const SINKS: [string, RegExp][] = [
  ['innerHTML', /\binnerHTML\b/],
  ['outerHTML', /\bouterHTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['document.write', /\bdocument\s*\.\s*write(ln)?\b/],
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['DOMParser().parseFromString', /\bparseFromString\b/],
  ['srcdoc', /\bsrcdoc\s*=/],
  ['eval', /(^|[^.\w])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['string setTimeout', /setTimeout\s*\(\s*['"`]/],
  ['inline style attribute', /setAttribute\(\s*['"]style['"]|\bstyle\s*=\s*["']/],
  ['inline event handler attribute', /setAttribute\(\s*['"]on[a-z]+['"]|\son[a-z]+\s*=\s*["']/],
];

describe('client code has no HTML sinks', () => {
  const files = sources(clientDir);

  it('finds the client sources', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.endsWith('app.ts'))).toBe(true);
  });

  for (const [name, pattern] of SINKS) {
    it(`never uses ${name}`, () => {
      const hits: string[] = [];
      for (const file of files) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            // Comments may name the sinks (to explain why they are absent).
            const code = line.replace(/\/\/.*$/, '').replace(/<!--.*?-->/g, '');
            if (pattern.test(code)) hits.push(`${path.relative(clientDir, file)}:${i + 1}: ${line.trim()}`);
          });
      }
      expect(hits).toEqual([]);
    });
  }

  it('detects a sink when one is there (the lint is not vacuous)', () => {
    expect(SINKS.find(([n]) => n === 'innerHTML')![1].test('el.innerHTML = name')).toBe(true);
    expect(SINKS.find(([n]) => n === 'inline style attribute')![1].test(`<div style="color:red">`)).toBe(true);
    expect(SINKS.find(([n]) => n === 'inline event handler attribute')![1].test(`<img onerror="x">`)).toBe(true);
  });
});
