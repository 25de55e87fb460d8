/**
 * `node --import tsx scripts/longest-functions.ts [folder …] [--top N]` — the longest functions in the
 * TypeScript under the given folders (default `core/src`), test files left out: every function
 * declaration, function expression, arrow function, method, accessor and constructor, measured as the
 * line span of its body (first to last line, blank lines and comments included, nested functions
 * counted inside their parent too). A closure that builds a whole service shows up here as one long
 * function, which is what this measures.
 *
 *   node --import tsx scripts/longest-functions.ts core/src recommender/src --top 10
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

interface Span {
  file: string;
  line: number;
  name: string;
  lines: number;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** The name a reader would look for: the declaration's own, or what it is assigned or passed to. */
function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(sf);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
  if (ts.isCallExpression(parent)) return `(argument of ${parent.expression.getText(sf).slice(0, 40)})`;
  return '(anonymous)';
}

function measure(file: string): Span[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const spans: Span[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const body = node.body as ts.Node;
      const start = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(body.getEnd()).line;
      spans.push({ file, line: start + 1, name: nameOf(node, sf), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return spans;
}

const folders: string[] = [];
let top = 10;
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i]!;
  if (arg === '--top') top = Number(process.argv[++i]);
  else folders.push(arg);
}
if (!Number.isInteger(top) || top < 1) throw new Error('--top takes a positive whole number');
const roots = folders.length ? folders : ['core/src'];

for (const root of roots) {
  const spans = sourceFiles(root)
    .flatMap(measure)
    .sort((a, b) => b.lines - a.lines);
  console.log(`${root}: ${spans.length} functions; the ${Math.min(top, spans.length)} longest (body lines):`);
  for (const s of spans.slice(0, top))
    console.log(
      `  ${String(s.lines).padStart(5)}  ${s.name}  ${path.relative(process.cwd(), s.file)}:${s.line}`,
    );
}
