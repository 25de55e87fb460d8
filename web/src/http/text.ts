import { z } from 'zod';

/**
 * Text fields the server trims. A trimmed rule (`.trim().min(1)`, `.trim().regex(…)`) checks the value
 * after trimming, which the OpenAPI document cannot see: it would call `" "` a valid required text. These
 * helpers check the value as sent with a pattern that means the same thing as the trimmed rule, so the
 * document states exactly what the server takes; the handler still gets the trimmed value. Browser-safe
 * (zod only).
 */

/**
 * What `String.prototype.trim` removes (ECMAScript white space and line terminators), spelled out rather
 * than `\s`, which means other characters in other regex dialects (Python's, which schemathesis uses).
 */
export const TRIMMED =
  '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/**
 * Text with at least `min` characters once trimmed: at most `max` as sent, then trimmed. "At least `min`
 * after trimming" as a pattern on the text sent: two kept characters with `min - 2` or more between them.
 */
export function requiredText(max: number, message = 'required', min = 1) {
  const kept = `[^${TRIMMED}]`;
  const pattern = min <= 1 ? kept : `${kept}[\\s\\S]{${min - 2},}${kept}`;
  return z.string(message).max(max, `at most ${max} characters`).regex(new RegExp(pattern), message).trim();
}

/**
 * Text that matches `rule` once trimmed. `rule` must be anchored (`^…$`) and must not begin or end with
 * a character trim removes, so that "matches after trimming" is the same as "matches with any white space
 * around it", which is the pattern the document shows.
 */
export function trimmedMatching(rule: RegExp, message: string) {
  const body = rule.source;
  if (!body.startsWith('^') || !body.endsWith('$')) throw new Error(`${body} must be anchored`);
  const padded = new RegExp(`^[${TRIMMED}]*(?:${body.slice(1, -1)})[${TRIMMED}]*$`, rule.flags);
  return z.string(message).regex(padded, message).trim();
}
