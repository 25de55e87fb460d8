/**
 * MiniSearch keeps terms in a radix tree whose nodes find a child by scanning all their keys. Latin
 * terms branch at most ~36 ways per node, but Chinese terms start with any of thousands of characters,
 * so the root scan made indexing 100k products take minutes and every Chinese lookup slow. Chinese terms
 * are therefore stored as "~" plus five hex digits per character: at most 16 children per node, the same
 * cost as Latin. Only this engine's MiniSearch sees the encoded form.
 */
const MARKER = '~';
const HAN = /\p{Script=Han}/u;

export function encodeTerm(term: string): string {
  if (!HAN.test(term)) return term;
  let out = MARKER;
  for (const ch of term) out += ch.codePointAt(0)!.toString(16).padStart(5, '0');
  return out;
}

export function decodeTerm(term: string): string {
  if (!term.startsWith(MARKER)) return term;
  let out = '';
  for (let i = 1; i + 5 <= term.length; i += 5)
    out += String.fromCodePoint(parseInt(term.slice(i, i + 5), 16));
  return out;
}

export function isEncodedHan(term: string): boolean {
  return term.startsWith(MARKER);
}
