import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/process';

/**
 * The workspaces' boundaries, read from the source: each workspace declares the `@market/*` packages it
 * imports, none reaches into another by a relative path (ESLint says so per file; this also sees dynamic
 * `import()`), their dependencies form no cycle with core at the bottom, and the entries the browser
 * imports pull in nothing that needs Node.
 */

const WORKSPACES = ['core', 'demo', 'realtime', 'recommender', 'search', 'vision', 'web', 'workers'];
/**
 * The only entries web/ui may import from other workspaces (ESLint holds the UI to them), by specifier.
 * One may import another (the realtime contract takes its payload types from core's).
 */
const BROWSER_ENTRIES: Record<string, string> = {
  '@market/core/browser': 'core/src/browser.ts',
  '@market/search/browser': 'search/src/browser.ts',
  '@market/realtime/contract': 'realtime/src/contract.ts',
};
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', '.tools', '.git', 'tmp']);

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...sourceFiles(rel));
    } else if (/\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Every module specifier a file imports or re-exports, static or dynamic (a .svelte file's scripts). */
function importsOf(file: string): string[] {
  let text = readFileSync(path.join(ROOT, file), 'utf8');
  if (file.endsWith('.svelte'))
    text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

const packageOf = (dir: string): PackageJson =>
  JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as PackageJson;
const marketPackage = (specifier: string) => /^@market\/[^/]+/.exec(specifier)?.[0];
/** Tests, their fixtures and the offline evaluations: what a devDependency may serve. */
const isDevOnly = (file: string) => /\.test\.ts$|\/(eval|test)\//.test(file);

describe('workspace boundaries', () => {
  it('declares every @market package a workspace imports (runtime code in dependencies)', () => {
    const missing: string[] = [];
    for (const ws of WORKSPACES) {
      const pkg = packageOf(ws);
      for (const file of sourceFiles(ws)) {
        for (const name of new Set(importsOf(file).map(marketPackage))) {
          if (!name || name === pkg.name) continue;
          const declared =
            pkg.dependencies?.[name] ?? (isDevOnly(file) ? pkg.devDependencies?.[name] : undefined);
          if (!declared) missing.push(`${file} imports ${name}, which ${ws}/package.json does not declare`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('never reaches into another workspace by a relative path', () => {
    const deep: string[] = [];
    for (const dir of [...WORKSPACES, 'scripts', 'tests']) {
      for (const file of sourceFiles(dir)) {
        const own = file.split('/')[0]!;
        for (const specifier of importsOf(file)) {
          if (!specifier.startsWith('.')) continue;
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
          const top = target.split('/')[0]!;
          if (top !== own && WORKSPACES.includes(top)) deep.push(`${file} → ${specifier}`);
        }
      }
    }
    expect(deep).toEqual([]);
  });

  it('has no cycle between workspaces, and core depends on none of them', () => {
    const dependsOn = new Map(
      WORKSPACES.map((ws) => {
        const pkg = packageOf(ws);
        const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) =>
          d.startsWith('@market/'),
        );
        return [pkg.name, deps] as const;
      }),
    );
    expect(dependsOn.get('@market/core')).toEqual([]);
    const done = new Set<string>();
    const visit = (name: string, trail: string[]): void => {
      if (trail.includes(name)) throw new Error(`dependency cycle: ${[...trail, name].join(' → ')}`);
      if (done.has(name)) return;
      for (const dep of dependsOn.get(name) ?? []) visit(dep, [...trail, name]);
      done.add(name);
    };
    for (const name of dependsOn.keys()) visit(name, []);
  });

  it('keeps the browser entries free of Node: only relative imports or browser entries below them, no Node globals', () => {
    const offending: string[] = [];
    for (const entry of Object.values(BROWSER_ENTRIES)) {
      const seen = new Set<string>();
      const walk = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const text = readFileSync(path.join(ROOT, file), 'utf8');
        if (/\b(process\.(env|argv|cwd|pid|exit)|Buffer\.|require\(|__dirname)/.test(text))
          offending.push(`${file} (below ${entry}) uses a Node global`);
        for (const specifier of importsOf(file)) {
          const browserEntry = BROWSER_ENTRIES[specifier];
          if (browserEntry) {
            walk(browserEntry);
            continue;
          }
          if (!specifier.startsWith('.')) {
            offending.push(`${file} (below ${entry}) imports ${specifier}`);
            continue;
          }
          const base = path.posix.join(path.posix.dirname(file), specifier);
          const resolved = [`${base}.ts`, `${base}/index.ts`, base].find(
            (f) => existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).isFile(),
          );
          if (!resolved) offending.push(`${file} imports ${specifier}, which does not resolve`);
          else walk(resolved);
        }
      };
      walk(entry);
    }
    expect(offending).toEqual([]);
  });
});
