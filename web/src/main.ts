import { ConfigError, createLogger, exitOnUnsupportedNode, loadConfig } from '@market/core';
import { EmbeddedStoreError } from '@market/core/db';
import { startMarketplace, type Marketplace } from './marketplace';

/** `npm start`: the whole marketplace in one process, on embedded defaults unless engine URLs are set. */
async function main() {
  exitOnUnsupportedNode();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const started = Date.now();

  let marketplace: Marketplace | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down…');
    await marketplace?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    void shutdown(1);
  });
  process.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled rejection');
    void shutdown(1);
  });

  try {
    marketplace = await startMarketplace(config, log);
  } catch (err) {
    if (err instanceof EmbeddedStoreError) {
      console.error(`\n${err.message}\n`);
      process.exit(1);
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(
        `\nPort ${config.http.port} is already in use: stop the other server or start with PORT=<another port>.\n`,
      );
      process.exit(1);
    }
    throw err;
  }

  const lines = [
    '',
    `  Bazaar marketplace is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  Storefront     ${marketplace.url}`,
    `  API docs       ${marketplace.url}/api/docs`,
    `  Database       ${marketplace.database.engine === 'embedded-ferretdb' ? `embedded FerretDB (${config.dataDir})` : 'MongoDB (MONGODB_URI)'}`,
  ];
  if (marketplace.demoAccounts.length) {
    lines.push('', '  Demo accounts (password for all: ' + marketplace.demoAccounts[0]!.password + ')');
    const seen = new Set<string>();
    for (const a of marketplace.demoAccounts) {
      if (a.role === 'seller' && seen.has('seller')) continue;
      seen.add(a.role);
      lines.push(
        `    ${a.role.padEnd(8)} ${a.email}${a.role === 'seller' ? '  (… seller24@bazaar.test)' : ''}`,
      );
    }
  } else {
    lines.push(
      '',
      '  Demo accounts: admin@ / support@ / courier@ / shopper@ / seller01@bazaar.test, password bazaar-demo-2026',
    );
  }
  log.info(lines.join('\n'));
}

void main();
