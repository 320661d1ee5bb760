/**
 * Load generator of bench/reads.ts (GET, or POST with a JSON `body`), in its own thread so the server's event loop does not also carry
 * the client. Receives {port, path, headers, concurrency, seconds}; for `seconds` keeps `concurrency`
 * requests in flight on `path`; posts back latencies, errors (non-200) and the seconds taken.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { port, path, headers, concurrency, seconds, method = 'GET', body: payload } = workerData;
const latencies = [];
let errors = 0;
let firstError = null;
const started = performance.now();
const until = started + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: payload ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(payload ? { body: payload } : {}),
      });
      const body = await res.text();
      if (res.status !== 200) {
        errors++;
        firstError ??= `${res.status} ${body.slice(0, 200)}`;
      }
      latencies.push(performance.now() - t0);
    }
  }),
);
parentPort.postMessage({ latencies, errors, firstError, seconds: (performance.now() - started) / 1000 });
