import { randomBytes } from 'node:crypto';

/** An opaque, URL-safe id with a readable type prefix, e.g. `usr_Zk3…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
