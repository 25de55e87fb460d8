import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Which UI messages the server-rendered storefront needs in the browser. Every page's layout chunk used
 * to carry the whole app's catalogue in both languages (~145 kB of source: admin, finance, logistics…);
 * the shopper pages now load only the visitor's language and only the keys their code can ask for.
 *
 * "Can ask for" is read from the source: starting at every route file outside the `(client)` group (the
 * pages that render on the server and hydrate), follow relative and `$lib/` imports (type-only imports
 * carry no strings) and collect each string literal that is a message key, and for a template literal
 * such as `` `sort.${sort}` `` every key starting with its fixed part. That over-approximates (a literal
 * in a module the page imports but never renders still counts), which costs a few bytes, never a missing
 * word. The `(client)` group's layout loads the rest before its pages render (`message-tables.ts`).
 */
export function storefrontMessageKeys(uiRoot: string, allKeys: readonly string[]): Set<string> {
  const src = path.join(uiRoot, 'src');
  const known = new Set(allKeys);
  const needed = new Set<string>();
  const seen = new Set<string>();
  const pending = publicRouteFiles(path.join(src, 'routes'));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const target of valueImports(code)) {
      const resolved = resolveImport(src, file, target);
      // The catalogue itself is what is being split, not a user of keys.
      if (resolved && !resolved.includes(`${path.sep}i18n${path.sep}messages`)) pending.push(resolved);
    }
    for (const match of code.matchAll(/['"`]([A-Za-z]\w*\.[\w.+-]*)(\$\{)?/g)) {
      const literal = match[1]!;
      if (match[2]) for (const key of known) if (key.startsWith(literal)) needed.add(key);
      if (!match[2] && known.has(literal)) needed.add(literal);
    }
  }
  return needed;
}

function publicRouteFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (entry !== '(client)') files.push(...publicRouteFiles(full));
    } else if (/^\+(page|layout|error)(\.svelte|\.ts)$/.test(entry)) {
      files.push(full);
    }
  }
  return files;
}

function valueImports(code: string): string[] {
  const targets: string[] = [];
  for (const match of code.matchAll(/\bimport\s+(type\s)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) {
    if (!match[1]) targets.push(match[2]!);
  }
  for (const match of code.matchAll(/\bimport\s*\(?\s*['"]([^'"]+)['"]/g)) targets.push(match[1]!);
  for (const match of code.matchAll(/\bexport\s+(?:\*|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/g)) {
    targets.push(match[1]!);
  }
  return targets;
}

function resolveImport(src: string, from: string, target: string): string | null {
  let base: string;
  if (target.startsWith('$lib/')) base = path.join(src, 'lib', target.slice('$lib/'.length));
  else if (target.startsWith('.')) base = path.resolve(path.dirname(from), target);
  else return null;
  const candidates = [base, `${base}.ts`, `${base}.svelte.ts`, `${base}.js`, path.join(base, 'index.ts')];
  for (const candidate of candidates) {
    if (/\.(ts|js|svelte)$/.test(candidate) && isFile(candidate)) return candidate;
  }
  return null;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
