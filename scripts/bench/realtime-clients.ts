/**
 * One load-generating process for `npm run bench:realtime`: opens `count` simulated clients, each one
 * websocket carrying a `/shop` socket that watches the benchmark product and a `/support` socket, and
 * records for every message how long after the event's own timestamp it arrived. Talks to the parent over
 * IPC: `ready` once every client is connected, then the latencies of each phase on request.
 */
import { Manager } from 'socket.io-client';

interface Start {
  urls: string[];
  count: number;
  cookie: string;
  productId: string;
}

type Command = { type: 'start'; start: Start } | { type: 'collect' } | { type: 'stop' };

const managers: Manager[] = [];
let latencies: number[] = [];

function record(at: string): void {
  latencies.push(Date.now() - Date.parse(at));
}

async function connectAll({ urls, count, cookie, productId }: Start): Promise<void> {
  let connected = 0;
  const BATCH = 100;
  for (let i = 0; i < count; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => {
        const manager = new Manager(urls[(i + j) % urls.length]!, {
          transports: ['websocket'],
          extraHeaders: { cookie },
          reconnection: false,
        });
        managers.push(manager);
        const shop = manager.socket('/shop');
        const support = manager.socket('/support');
        shop.on('stock.changed', (m: { at: string }) => record(m.at));
        support.on('order.status_changed', (m: { at: string }) => record(m.at));
        const ready = (socket: ReturnType<Manager['socket']>) =>
          new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
          });
        return Promise.all([
          ready(shop).then(async () => {
            const ack = (await shop.emitWithAck('products:watch', [productId])) as { ok: boolean };
            if (!ack.ok) throw new Error('watch refused');
          }),
          ready(support),
        ]).then(() => {
          connected++;
          if (connected % 250 === 0) process.send!({ type: 'progress', connected });
        });
      }),
    );
  }
}

process.on('message', (command: Command) => {
  if (command.type === 'start') {
    connectAll(command.start).then(
      () => process.send!({ type: 'ready' }),
      (err: unknown) => process.send!({ type: 'error', error: String(err) }),
    );
  } else if (command.type === 'collect') {
    process.send!({ type: 'latencies', latencies });
    latencies = [];
  } else {
    for (const manager of managers) manager.engine?.close();
    process.exit(0);
  }
});
