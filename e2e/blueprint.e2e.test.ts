/**
 * 一张蓝图 in the browser (tasks 51, 52): an administrator loads a red-line layer through the API, opens
 * the map, draws a site across it, runs the site check and sees the conflict with its overlap area.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, login, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

const RED = { minLon: 113.68, minLat: 34.7, maxLon: 113.72, maxLat: 34.74 };
const rect = (x1: number, y1: number, x2: number, y2: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x1, y1],
      [x2, y1],
      [x2, y2],
      [x1, y2],
      [x1, y1],
    ],
  ],
});

async function uploadRedLine(url: string) {
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
  const up = await fetch(`${url}/api/blueprint/layers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({
      name: 'E2E 生态保护红线',
      kind: 'ecological_redline',
      geojson: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'E2E 红线图斑' },
            geometry: rect(RED.minLon, RED.minLat, RED.maxLon, RED.maxLat),
          },
        ],
      },
    }),
  });
  expect(up.status).toBe(201);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await uploadRedLine(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Web Mercator metres of a lon/lat (the map's view projection). */
function mercator(lon: number, lat: number): [number, number] {
  const R = 6378137;
  return [(R * lon * Math.PI) / 180, R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];
}

describe('blueprint map', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    page = await context.newPage();
    await login(page, server.url, 'admin');
  });

  afterAll(async () => {
    await context?.close();
  });

  test('draws a site across a red line and sees the conflict with its area', async () => {
    await page.goto(`${server.url}/blueprint`);
    // The demo seed loads a synthetic red-line layer too: wait for any red-line toggle.
    await page.getByTestId('blueprint-layer-ecological_redline').first().waitFor();
    const box = await page.getByTestId('blueprint-map').boundingBox();
    expect(box).not.toBeNull();
    // The view starts centred on 113.65 E, 34.75 N at zoom 11.
    const resolution = 156543.03392804097 / 2 ** 11;
    const [cx, cy] = mercator(113.65, 34.75);
    const px = (lon: number, lat: number): [number, number] => {
      const [x, y] = mercator(lon, lat);
      return [
        box!.x + box!.width / 2 + (x - cx) / resolution,
        box!.y + box!.height / 2 - (y - cy) / resolution,
      ];
    };
    await page.getByTestId('blueprint-draw').click();
    const corners = [px(113.7, 34.71), px(113.74, 34.71), px(113.74, 34.73), px(113.7, 34.73)];
    for (const [x, y] of corners) {
      await page.mouse.click(x, y);
      await page.waitForTimeout(150);
    }
    await page.mouse.click(corners[0]![0], corners[0]![1]);
    await expect.poll(() => page.getByTestId('blueprint-site-text').inputValue()).toContain('Polygon');

    await page.getByTestId('blueprint-check').click();
    const verdict = page.getByTestId('blueprint-verdict');
    await verdict.waitFor();
    expect(await verdict.innerText()).toContain('不可选址');
    // Demo layers may add conflicts of their own; look at the row of the layer this test uploaded.
    const row = page.getByTestId('blueprint-conflict-row').filter({ hasText: 'E2E 红线图斑' }).first();
    await row.waitFor();
    const area = await row.getByTestId('blueprint-conflict-area').innerText();
    // Half of the drawn 0.04° × 0.02° site lies on the red line: 0.02° × 0.02° ≈ 4.06 km² (drawn by pixel, so loosely).
    const m2 = Number(area.replace(/[^\d.]/g, ''));
    expect(m2).toBeGreaterThan(3_000_000);
    expect(m2).toBeLessThan(5_000_000);
  });

  test('names, not codes: the legend and layer list read Chinese; the annual plan opens as list and map', async () => {
    await page.goto(`${server.url}/blueprint`);
    const legend = page.getByTestId('blueprint-legend');
    await legend.waitFor();
    await expect.poll(() => legend.innerText()).toContain('生态保护红线');
    expect(await legend.innerText()).not.toMatch(/ecological_redline|basic_farmland|urban_boundary/);
    await page.goto(`${server.url}/blueprint/annual-plan`);
    await page.getByTestId('annual-plan-table').waitFor();
    await page.getByTestId('annual-plan-map').waitFor();
    expect(await page.getByTestId('annual-plan-counts').innerText()).toContain('策划项目');
    const href = await page.getByTestId('annual-plan-export').getAttribute('href');
    const xlsx = await page.request.get(`${server.url}${href}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
  });
});

describe('a site drawn on the map carries into registration', () => {
  test('the applicant checks a pasted site, then registers a project on it', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    await login(page, server.url, 'applicant');
    await page.goto(`${server.url}/blueprint`);
    const site = JSON.stringify(rect(113.6, 34.76, 113.601, 34.761));
    await page.getByTestId('blueprint-site-text').fill(site);
    await page.getByTestId('blueprint-check').click();
    await page.getByTestId('blueprint-verdict').waitFor();
    await page.getByTestId('blueprint-register-site').click();
    await page.waitForURL(/\/projects\/new$/);
    const text = page.getByTestId('project-geojson');
    await text.waitFor();
    expect(JSON.parse(await text.inputValue())).toEqual(JSON.parse(site));
    await context.close();
  });
});
