/**
 * The HTTP load generator of bench/approval.ts, in its own thread so the server's event loop does not
 * also carry the client. Receives {port, ids, headers, concurrency, body}; posts back latencies and errors.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { port, ids, headers, concurrency, body } = workerData;
const latencies = [];
let errors = 0;
let cursor = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (;;) {
      const id = ids[cursor++];
      if (!id) return;
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/tasks/${id}/decisions`, {
        method: 'POST',
        headers,
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
      latencies.push(performance.now() - t0);
    }
  }),
);
parentPort.postMessage({ latencies, errors, seconds: (performance.now() - started) / 1000 });
