import path from 'node:path';
import { createLogger } from '@market/core/logger';
import { ensureFerretDbBinary } from '@market/core/db';

/** `npm run setup:ferretdb`: builds the embedded document store ahead of the first start. */
const binary = await ensureFerretDbBinary(
  path.resolve(process.env.TOOLS_DIR ?? '.tools'),
  createLogger('info', 'setup'),
);
console.log(`FerretDB ready: ${binary}`);
