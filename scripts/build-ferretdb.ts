import path from 'node:path';
import { createLogger } from '../core/src/logger';
import { ensureFerretDbBinary } from '../core/src/db/ferretdb';

/** `npm run setup:ferretdb`: builds the embedded document store ahead of the first start. */
const binary = await ensureFerretDbBinary(
  path.resolve(process.env.TOOLS_DIR ?? '.tools'),
  createLogger('info', 'setup'),
);
console.log(`FerretDB ready: ${binary}`);
