/**
 * Contact details as support sees them: enough to confirm with the caller ("the one ending 5678?"),
 * not enough to contact them. Pure and browser-safe.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/**
 * `13812345678` (or `+8613812345678`) → `138****5678`; other numbers keep only their last four digits.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
  if (digits.length === 11) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  return digits.length > 4 ? `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}` : '****';
}
