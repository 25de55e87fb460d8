import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { scaled } from './time';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Ignored by git through the `/tmp/` rule. */
export const SCREENSHOT_DIR = path.join(ROOT, 'tmp', 'screenshots');

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export type ViewportName = keyof typeof VIEWPORTS;

/**
 * How long a page may take to show what a test waits for (stretched by TEST_TIME_SCALE): a backstop for
 * Chromium, the app and the test runner sharing two busy cores, not a target.
 */
export const UI_TIMEOUT = scaled(30_000);

/** The system Chromium, headless and quiet: no sandbox (containers), no background traffic (offline). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** The app mounts `web/ui/build`; `npm test` builds it first (`pretest`), a single test file may not. */
export function assertUiBuilt(): void {
  if (!existsSync(path.join(ROOT, 'web/ui/build/handler.js'))) {
    throw new Error('web/ui/build is missing: run `npm run build:ui` before the browser tests');
  }
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors seen so far, for asserting the page stayed healthy. */
  errors: string[];
}

/**
 * A fresh browser context (own cookies and storage, like a new visitor) with one page at `url`.
 * The locale is English unless asked, so UI strings are predictable.
 */
export async function openPage(
  browser: Browser,
  url: string,
  opts: { viewport?: ViewportName; locale?: string } = {},
): Promise<OpenedPage> {
  const viewport = VIEWPORTS[opts.viewport ?? 'desktop'];
  const context = await browser.newContext({
    viewport,
    locale: opts.locale ?? 'en-US',
    ...(opts.viewport === 'phone' && { isMobile: true, hasTouch: true }),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Expected 4xx answers (wrong password, validation) show up as "Failed to load resource"; not bugs.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`);
    }
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  // Server-rendered pages show before they answer input: act only once the storefront has hydrated.
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: UI_TIMEOUT });
  return { context, page, errors };
}

/** Saves a full-page PNG as `tmp/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Signs in through the login page and submits; the app then sends the browser on to `next`. Waiting for
 * what `next` shows is the caller's part.
 */
export async function logIn(
  page: Page,
  appUrl: string,
  email: string,
  password: string,
  next: string,
  timeoutMs = 15_000,
): Promise<void> {
  await page.goto(`${appUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByTestId('login-form').waitFor({ timeout: timeoutMs });
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}
