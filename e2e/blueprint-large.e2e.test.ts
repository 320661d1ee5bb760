/**
 * A 100,000-polygon planning layer in the browser (issue 18), loaded the way a bureau loads a big file
 * (the `blueprint:import` command). At city zoom the map shows the layer as grid-cell summaries (one
 * request, no 100,000 features in the browser); zoomed in to street level it pages through the view's
 * features, and panning across the layer loads each newly visible box at its own detail.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let layerId: string;

const COLS = 500;
const ROWS = 200;
const STEP = 0.0005;
const SIZE = 0.0004;
const WEST = 113.55;
const SOUTH = 34.7;

/** The layer as a GeoJSON file (about 13 MB): 100,000 squares of ~40 m, named as a bureau names them. */
function writeGrid(file: string) {
  const parts: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const x = +(WEST + c * STEP).toFixed(5);
      const y = +(SOUTH + r * STEP).toFixed(5);
      const x2 = +(x + SIZE).toFixed(5);
      const y2 = +(y + SIZE).toFixed(5);
      parts.push(
        `{"type":"Feature","properties":{"name":"图斑${r}-${c}"},"geometry":{"type":"Polygon","coordinates":[[[${x},${y}],[${x2},${y}],[${x2},${y2}],[${x},${y2}],[${x},${y}]]]}}`,
      );
    }
  }
  writeFileSync(file, `{"type":"FeatureCollection","features":[${parts.join(',')}]}`);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const file = join(server.dataDir, 'grid.geojson');
  writeGrid(file);
  const started = Date.now();
  const run = await server.runCli(['blueprint:import', '--name', 'E2E 十万图斑', '--kind', '生态红线', file]);
  expect(run.code, run.output).toBe(0);
  const result = JSON.parse(run.output.trim().split('\n').at(-1)!) as { id: string; featureCount: number };
  expect(result.featureCount).toBe(COLS * ROWS);
  layerId = result.id;
  console.log(
    `blueprint:import of ${COLS * ROWS} polygons + restart: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a 100,000-polygon layer on the map', () => {
  let page: Page;
  const requests: { url: URL; ms: number; bytes: number }[] = [];

  beforeAll(async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    page = await context.newPage();
    const started = new Map<string, number>();
    page.on('request', (r) => {
      if (r.url().includes(`/api/blueprint/layers/${layerId}/features`)) started.set(r.url(), Date.now());
    });
    page.on('requestfinished', (r) => {
      const at = started.get(r.url());
      if (at === undefined) return;
      void r
        .sizes()
        .then((s) =>
          requests.push({ url: new URL(r.url()), ms: Date.now() - at, bytes: s.responseBodySize }),
        );
    });
    await login(page, server.url, 'admin');
  });

  test('summarised at city zoom, paged at street zoom, and panned across', async () => {
    await page.goto(`${server.url}/blueprint`);
    const shown = page.getByTestId(`blueprint-loaded-${layerId}`);
    const summary = page.getByTestId(`blueprint-summary-${layerId}`);
    // City view (zoom 11): the whole layer is in view, so it comes as summary cells, not features.
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toContain(`${COLS * ROWS}`);
    expect(await shown.textContent()).toBe('已显示 0');
    const city = requests.filter((u) => u.url.searchParams.get('zoom') === '11');
    expect(city.length).toBeGreaterThan(0);
    expect(city.every((u) => !u.url.searchParams.has('after'))).toBe(true);

    // Zoom in over the grid until the map asks at street level (zoom ≥ 15).
    const box = (await page.getByTestId('blueprint-map').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx - 100, cy);
    const lastZoom = () => Number(requests.at(-1)?.url.searchParams.get('zoom') ?? 0);
    for (let i = 0; i < 40 && lastZoom() < 15; i++) {
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(250);
    }
    await page.waitForTimeout(1500);
    expect(lastZoom()).toBeGreaterThanOrEqual(15);
    await expect
      .poll(async () => Number((await shown.textContent())!.replace(/\D/g, '')), { timeout: 60_000 })
      .toBeGreaterThan(0);

    // Drag the map eastwards six times: each newly visible box is loaded at the settled zoom.
    const before = requests.length;
    const panMs: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = Date.now();
      const n = requests.length;
      await page.mouse.move(cx + 300, cy);
      await page.mouse.down();
      await page.mouse.move(cx - 300, cy, { steps: 8 });
      await page.mouse.up();
      await expect.poll(() => requests.length, { timeout: 30_000 }).toBeGreaterThan(n);
      await page.waitForTimeout(300);
      panMs.push(Date.now() - t0);
    }
    const zoom = lastZoom();
    const boxes = new Set(
      requests
        .slice(before)
        .filter((u) => Number(u.url.searchParams.get('zoom')) === zoom)
        .map((u) => u.url.searchParams.get('bbox')!),
    );
    expect(boxes.size).toBeGreaterThanOrEqual(4);
    const wests = [...boxes].map((b) => Number(b.split(',')[0]));
    expect(Math.max(...wests)).toBeGreaterThan(Math.min(...wests));
    const onScreen = Number((await shown.textContent())!.replace(/\D/g, ''));
    expect(onScreen).toBeGreaterThan(0);
    expect(onScreen).toBeLessThan((COLS * ROWS) / 2);
    expect(await page.getByTestId('blueprint-error').count()).toBe(0);

    const street = requests.slice(before);
    const sorted = street.map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      `100k layer: city zoom ${city.length} request(s), ${city.reduce((n, r) => n + r.bytes, 0)} bytes; ` +
        `street zoom ${zoom}: ${street.length} requests, median ${sorted[Math.floor(sorted.length / 2)]} ms, ` +
        `max ${sorted.at(-1)} ms; features on the map after panning ${onScreen}; ` +
        `pan → loaded ${panMs.join(' / ')} ms`,
    );
  });
});
