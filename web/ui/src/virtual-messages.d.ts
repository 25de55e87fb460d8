// The per-language message tables the build cuts from `lib/i18n/messages.ts` (vite.config.ts).
declare module 'virtual:messages/*' {
  const table: Readonly<Record<string, string>>;
  export default table;
}
