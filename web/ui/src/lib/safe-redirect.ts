/** Only same-site paths are followed after login, so `?next=` cannot send people to another site. */
export function safeNextPath(next: string | null, fallback = '/'): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}
