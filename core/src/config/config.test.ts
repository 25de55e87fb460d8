import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SESSION_SECRET = 'session-'.repeat(5);
const PAYMENT_WEBHOOK_SECRET = 'webhook-'.repeat(5);

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('payment webhook secret', () => {
  it('is left to the database on a default start, never derived from another value', () => {
    expect(loadConfig({}).commerce.webhookSecret).toBeUndefined();
    expect(loadConfig({ SESSION_SECRET }).commerce.webhookSecret).toBeUndefined();
    expect(loadConfig({ PAYMENT_WEBHOOK_SECRET }).commerce.webhookSecret).toBe(PAYMENT_WEBHOOK_SECRET);
  });

  it('must be at least 32 characters', () => {
    expect(configError({ PAYMENT_WEBHOOK_SECRET: 'short' }).issues).toEqual([
      'PAYMENT_WEBHOOK_SECRET: must be at least 32 characters',
    ]);
  });

  it('is required in production, like the session secret', () => {
    expect(configError({ NODE_ENV: 'production', SESSION_SECRET }).issues).toEqual([
      'PAYMENT_WEBHOOK_SECRET: required when NODE_ENV=production',
    ]);
    expect(configError({ NODE_ENV: 'production' }).issues).toEqual([
      'SESSION_SECRET: required when NODE_ENV=production',
      'PAYMENT_WEBHOOK_SECRET: required when NODE_ENV=production',
    ]);
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET, PAYMENT_WEBHOOK_SECRET });
    expect(config.commerce.webhookSecret).toBe(PAYMENT_WEBHOOK_SECRET);
  });

  it('stops `npm start` in production before anything starts when it is missing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'web/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', SESSION_SECRET, PAYMENT_WEBHOOK_SECRET: '', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('PAYMENT_WEBHOOK_SECRET: required when NODE_ENV=production');
  });
});
