import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, loadConfig, notificationIdFor } from '@market/core';
import { startMarketplace } from '@market/web/marketplace';

/**
 * Notification fan-out: N notifications (default 10,000: 100 people × 100 back-in-stock notices) queued
 * through `notify`, then delivered by the app's own job worker into the notification centre (inbox
 * ledger + document + live event) and by email through nodemailer to the embedded SMTP server, which
 * parses each message into the dev mailbox. Reports queueing and delivery rates and checks that no
 * notification and no email exists twice. One process, embedded FerretDB, as `npm start` runs.
 */
export async function benchNotifications(total = Number(process.env.BENCH_NOTIFICATIONS ?? 10_000)) {
  const people = Math.max(1, Math.round(Math.sqrt(total)));
  const perPerson = Math.ceil(total / people);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-notifications-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    TOOLS_DIR: path.resolve('.tools'),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
  });
  const log = createLogger(config.logLevel, 'bench');
  const app = await startMarketplace(config, log);
  try {
    console.log(`notification fan-out: ${people} people × ${perPerson} notifications`);
    const users = [];
    for (let i = 0; i < people; i += 10)
      users.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, people - i) }, (_, j) =>
            app.core.users.createUser({
              email: `bench-${i + j}@example.com`,
              name: `Bench ${i + j}`,
              password: 'bench password that is long',
              roles: ['shopper'],
            }),
          ),
        )),
      );
    const load0 = os.loadavg()[0]!;
    const started = performance.now();
    const jobs = users.flatMap((user) =>
      Array.from({ length: perPerson }, (_, k) => ({
        userId: user.id,
        type: 'back_in_stock' as const,
        sourceId: `prd_bench${k}@r1`,
        params: { productId: `prd_bench${k}`, productName: `Bench kettle ${k}`, productNameZh: null },
      })),
    );
    for (let i = 0; i < jobs.length; i += 50)
      await Promise.all(jobs.slice(i, i + 50).map((j) => app.core.notifications.notify(j)));
    const queuedMs = performance.now() - started;
    console.log(
      `  queued ${jobs.length} in ${(queuedMs / 1000).toFixed(1)} s (${Math.round(jobs.length / (queuedMs / 1000))}/s)`,
    );

    const notifications = app.database.connection.collection('notifications');
    let inAppMs = 0;
    let reported = performance.now();
    for (;;) {
      const [inApp, mailed] = await Promise.all([
        notifications.estimatedDocumentCount(),
        app.mailbox!.count(),
      ]);
      if (!inAppMs && inApp >= jobs.length) inAppMs = performance.now() - started;
      // A long run says how far it got, so a run stopped early still gives a rate.
      if (performance.now() - reported >= 60_000) {
        reported = performance.now();
        const s = (reported - started) / 1000;
        console.log(
          `  ${s.toFixed(0)} s: ${inApp} in-app, ${mailed} mailed (load ${os.loadavg()[0]!.toFixed(1)})`,
        );
      }
      if (inApp >= jobs.length && mailed >= jobs.length) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const allMs = performance.now() - started;
    const load1 = os.loadavg()[0]!;
    // Duplicates: one document per notification id, one mailbox message per Message-ID.
    const distinctMail = new Set((await app.mailbox!.list({ limit: 500 })).map((m) => m.messageId)).size;
    const mailCount = await app.mailbox!.count();
    const unread = (await Promise.all(users.map((u) => app.core.notifications.unreadCount(u.id)))).reduce(
      (a, b) => a + b,
      0,
    );
    const sample = await notifications.findOne({
      _id: notificationIdFor('back_in_stock', 'prd_bench0@r1', users[0]!.id),
    } as never);
    const result = {
      notifications: jobs.length,
      queuedPerSecond: Math.round(jobs.length / (queuedMs / 1000)),
      inAppPerSecond: Math.round(jobs.length / (inAppMs / 1000)),
      deliveredPerSecond: Math.round(jobs.length / (allMs / 1000)),
      seconds: Number((allMs / 1000).toFixed(1)),
      inApp: await notifications.countDocuments({}),
      emails: mailCount,
      unreadTotal: unread,
      duplicates: mailCount - jobs.length + ((await notifications.countDocuments({})) - jobs.length),
      sampleDelivered: !!sample,
      distinctMessageIdsInLatest500: distinctMail,
      loadAverage: [Number(load0.toFixed(2)), Number(load1.toFixed(2))],
    };
    console.log(`  ${JSON.stringify(result)}`);
    return result;
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchNotifications();
