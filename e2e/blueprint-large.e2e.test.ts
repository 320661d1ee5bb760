/**
 * A large planning layer in the browser (issue 18): 20,000 polygons — four times the old 5,000 cap —
 * uploaded with a Chinese layer kind; the map pages through them by view box and zoom, and panning
 * across the layer at street zoom loads each newly visible box at its own detail.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let layerId: string;

const COLS = 200;
const ROWS = 100;
const STEP = 0.0025;
const WEST = 113.4;
const SOUTH = 34.62;

async function uploadGrid(url: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const features = [];
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const x = +(WEST + c * STEP).toFixed(5);
      const y = +(SOUTH + r * STEP).toFixed(5);
      const d = 0.002;
      features.push({
        type: 'Feature',
        properties: { name: `格 ${r}-${c}` },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x, y],
              [+(x + d).toFixed(5), y],
              [+(x + d).toFixed(5), +(y + d).toFixed(5)],
              [x, +(y + d).toFixed(5)],
              [x, y],
            ],
          ],
        },
      });
    }
  }
  const up = await fetch(`${url}/api/blueprint/layers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({
      name: 'E2E 大图层',
      kind: '生态红线',
      geojson: { type: 'FeatureCollection', features },
    }),
  });
  expect(up.status, await up.clone().text()).toBe(201);
  return ((await up.json()) as { id: string }).id;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  layerId = await uploadGrid(server.url);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a large layer on the map', () => {
  let page: Page;
  const requests: URL[] = [];

  beforeAll(async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    page = await context.newPage();
    page.on('request', (r) => {
      if (r.url().includes(`/api/blueprint/layers/${layerId}/features`)) requests.push(new URL(r.url()));
    });
    await login(page, server.url, 'admin');
  });

  test('pages through 20,000 polygons, then pans across them at street zoom', async () => {
    await page.goto(`${server.url}/blueprint`);
    const shown = page.getByTestId(`blueprint-loaded-${layerId}`);
    // The city view (zoom 11) holds the whole grid: every page is fetched, well past 5,000.
    await expect.poll(() => shown.textContent(), { timeout: 60_000 }).toBe(`已显示 ${COLS * ROWS}`);
    expect(requests.some((u) => u.searchParams.has('after'))).toBe(true);
    expect(requests.every((u) => u.searchParams.get('zoom') === '11')).toBe(true);

    // Zoom in to street level over the grid's west end, then drag the map eastwards across it.
    const box = (await page.getByTestId('blueprint-map').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.2, cy);
    for (let i = 0; i < 12; i++) {
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(800);
    const before = requests.length;
    const boxes = new Set<string>();
    for (let i = 0; i < 6; i++) {
      await page.mouse.move(cx + 300, cy);
      await page.mouse.down();
      await page.mouse.move(cx - 300, cy, { steps: 8 });
      await page.mouse.up();
      await page.waitForTimeout(600);
    }
    // Judged at the zoom the map settled on (a wheel animation may still report a level on its way).
    const finalZoom = () => Number(requests.at(-1)!.searchParams.get('zoom'));
    await expect
      .poll(
        () => {
          boxes.clear();
          for (const u of requests.slice(before)) {
            if (Number(u.searchParams.get('zoom')) === finalZoom()) boxes.add(u.searchParams.get('bbox')!);
          }
          return boxes.size;
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(4);
    expect(finalZoom()).toBeGreaterThanOrEqual(13);
    // The panned boxes move east: their west edges increase.
    const wests = [...boxes].map((b) => Number(b.split(',')[0]));
    expect(Math.max(...wests)).toBeGreaterThan(Math.min(...wests));
    // What is on screen now is drawn, and far fewer features than the layer holds are loaded.
    await expect
      .poll(async () => Number((await shown.textContent())!.replace(/\D/g, '')), { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect(Number((await shown.textContent())!.replace(/\D/g, ''))).toBeLessThan(COLS * ROWS);
    expect(await page.getByTestId('blueprint-error').count()).toBe(0);
  });
});
