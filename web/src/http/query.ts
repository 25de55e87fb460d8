import { z } from 'zod';

/**
 * A whole number in a query string (`?limit=20`), from `min` to `max`, `fallback` when absent. The
 * server reads the text (digits only, so no `1e2`, `0x10` or ` 5`); the OpenAPI document states the
 * number it stands for (`type: integer`, minimum, maximum, default), which is what a client sends and
 * what schemathesis generates. One helper, so every list's `limit`, `page` and the like say the same
 * thing in the same words. Browser-safe (zod only): the schema modules that the Svelte app's wire
 * types come from use it.
 */
export function queryInt(min: number, max: number): z.ZodType<number, string>;
export function queryInt(min: number, max: number, fallback: number): z.ZodType<number, string | undefined>;
export function queryInt(
  min: number,
  max: number,
  fallback?: number,
): z.ZodType<number, string> | z.ZodType<number, string | undefined> {
  const message = `a number from ${min} to ${max}`;
  const digits = String(Math.max(Math.abs(min), Math.abs(max))).length;
  const parsed = z
    .string(message)
    .regex(new RegExp(`^${min < 0 ? '-?' : ''}\\d{1,${digits}}$`), message)
    .transform(Number)
    .pipe(z.number().int(message).min(min, message).max(max, message));
  const documented = { type: 'integer', minimum: min, maximum: max } as const;
  return fallback === undefined
    ? parsed.meta(documented)
    : parsed.default(fallback).meta({ ...documented, default: fallback });
}
