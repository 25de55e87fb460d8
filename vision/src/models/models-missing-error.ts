/** A model file is absent or does not match its pinned checksum: the setup step has not run (or failed). */
export class ModelsMissingError extends Error {
  constructor(
    readonly missing: string[],
    modelDir: string,
  ) {
    super(
      `Photo models missing or corrupt in ${modelDir}: ${missing.join(', ')}. Run \`npm run setup:vision\` to fetch and verify them.`,
    );
    this.name = 'ModelsMissingError';
  }
}
