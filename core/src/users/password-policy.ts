import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE } from './password-rules';

/**
 * The password policy, shared by the server (register, password change) and the storefront's strength
 * meter, which imports this file lazily. It depends on nothing but zxcvbn-ts so the browser bundle stays
 * the dictionaries and the estimator. The numbers live in `password-rules.ts`:
 *
 * - At least 12 characters (OWASP ASVS 4.0.3 V2.1.1), at most 128 (V2.1.2; also bounds the work of the
 *   estimator and of argon2id per request). Counted in code points, so 12 Chinese characters are 12.
 * - A zxcvbn score of at least 3: the estimator puts the password at ≥ 10⁸ guesses in its model of how
 *   attackers order guesses (dictionaries, common passwords, keyboard walks, dates, l33t, repeats). That
 *   is far out of reach online (logins are throttled per account and address) and costly offline against
 *   our argon2id hashes (19 MiB, t=2); score 4 (≥ 10¹⁰) would refuse passphrases like "correct horse".
 * - Never the email address, and never containing its local part (3+ characters); the email, its parts,
 *   the name and the site's own words are given to the estimator as known inputs, so "Mei Lin bazaar"
 *   from Mei Lin scores as the guess it is.
 */

/** Words an attacker would try first against this site. */
const SITE_WORDS = ['bazaar', '集市', 'marketplace', 'jishi'];

export interface PasswordOwner {
  email: string;
  name?: string;
}

export interface PasswordCheck {
  ok: boolean;
  /** zxcvbn's 0–4. */
  score: number;
  /** Why it is refused (null when accepted): the library's own feedback where it has one. */
  problem: string | null;
  /** The library's suggestions, for a meter to show while typing. */
  suggestions: string[];
}

let estimator: ZxcvbnFactory | null = null;

// Built on first use: ranking the dictionaries takes a few hundred milliseconds.
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
    // The estimator runs on the event loop, so its worst case is bounded (measured on crafted input:
    // 1.6 s with the defaults, under ~100 ms with these). Only the first 48 characters are estimated,
    // which can only under-rate a longer password; l33t variants are tried up to 6 substitutions.
    // `useLevenshteinDistance` stays off: it compares with every dictionary word (0.3–2.7 s a check).
    maxLength: 48,
    l33tMaxSubstitutions: 6,
  });
  return estimator;
}

function userInputs(owner: PasswordOwner): string[] {
  const email = owner.email.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  const name = owner.name?.trim().toLowerCase() ?? '';
  const parts = [...local.split(/[._+-]+/), ...name.split(/\s+/)].filter((p) => p.length >= 3);
  return [...new Set([email, local, name, ...parts, ...SITE_WORDS].filter(Boolean))];
}

function refuse(problem: string, score = 0, suggestions: string[] = []): PasswordCheck {
  return { ok: false, score, problem, suggestions };
}

/** Checks a new password against the policy; pure and synchronous (a few to ~100 ms on long input). */
export function checkPassword(password: string, owner: PasswordOwner): PasswordCheck {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return refuse(`at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) return refuse(`at most ${PASSWORD_MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  const email = owner.email.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  if (email && lower === email) return refuse('must not be your email address');
  if (local.length >= 3 && lower.includes(local)) return refuse('must not contain the name of your email');

  const result = zxcvbn().check(password, userInputs(owner));
  const suggestions = result.feedback.suggestions;
  if (result.score >= PASSWORD_MIN_SCORE)
    return { ok: true, score: result.score, problem: null, suggestions };
  const problem =
    [result.feedback.warning, ...suggestions].filter(Boolean).join(' ') ||
    'This password is too easy to guess. Add a few uncommon words.';
  return refuse(problem, result.score, suggestions);
}
