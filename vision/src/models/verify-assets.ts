import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { assetPath, type ModelAsset } from './manifest';

export type AssetState = 'ok' | 'missing' | 'mismatch';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Whether the asset is in the model folder with its pinned size and sha256. */
export async function checkAsset(modelDir: string, asset: ModelAsset): Promise<AssetState> {
  const file = assetPath(modelDir, asset);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return 'missing';
  if (asset.bytes && info.size !== asset.bytes) return 'mismatch';
  return (await sha256File(file)) === asset.sha256 ? 'ok' : 'mismatch';
}
