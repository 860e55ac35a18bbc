import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's chromium (apt-get install -y chromium), or CHROMIUM_PATH. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

/** Compiles the browser code, as `npm run build` does, so the page works without a prior build. */
export function buildUi(): void {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  const project = fileURLToPath(new URL('../tsconfig.ui.json', import.meta.url));
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
}

/** Headless Chromium, as the tests run it. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// Screenshots go to .otelkit/screenshots (ignored by git); with OTELKIT_DOCS_IMAGES=1 they
// become the README's images, regenerated on purpose.
const repository = fileURLToPath(new URL('../../../', import.meta.url));
const forDocs = process.env.OTELKIT_DOCS_IMAGES === '1';
function screenshotPaths(name: string): string[] {
  if (!forDocs) return [join(repository, '.otelkit', 'screenshots', `${name}.png`)];
  const paths = [join(repository, 'packages', 'viewer', 'docs', 'images', `${name}.png`)];
  if (name === 'trace') paths.push(join(repository, 'docs', 'images', 'viewer.png'));
  return paths;
}

/** A page of the viewer, watched for what must never happen. */
export interface Watched {
  page: Page;
  /** Console errors and warnings, page errors, dialogs and CSP violations seen so far. */
  problems: () => Promise<string[]>;
  /** Takes a screenshot named `name` (of the whole page with `fullPage`). */
  shoot: (name: string, fullPage?: boolean) => Promise<void>;
}

/** Opens `hash` of the viewer at `url` in a new page of `width` × `height`. */
export async function openPage(
  browser: Browser,
  url: string,
  hash: string,
  viewport = { width: 1440, height: 900 },
): Promise<Watched> {
  const page = await browser.newPage({ viewport });
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      seen.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => seen.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    seen.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  // Injected by the browser's debugging protocol, outside the page's CSP.
  await page.addInitScript({
    content: `window.violations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.violations.push(event.violatedDirective + ' ' + event.blockedURI);
      });`,
  });
  await page.goto(`${url}/${hash}`);
  return {
    page,
    problems: async () => {
      const violations = (await page.evaluate('window.violations')) as string[];
      return [...seen, ...violations.map((v) => `CSP violation: ${v}`)];
    },
    shoot: async (name, fullPage = name === 'metrics') => {
      await page.evaluate('window.scrollTo(0, 0)');
      for (const path of screenshotPaths(name)) {
        mkdirSync(dirname(path), { recursive: true });
        await page.screenshot({ path, fullPage });
      }
    },
  };
}

/** `expect.poll` with room for a loaded CI machine. */
export function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000 });
}

/** Waits until the page named `name` is shown. */
export function ready(page: Page, name: string) {
  return poll(() => page.locator('#app').getAttribute('data-ready')).toBe(name);
}

/** Runs `action`, which changes the page, and waits until the new page is shown. */
export async function shows(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = Number(await page.locator('#app').getAttribute('data-rendered'));
  await action();
  await poll(async () =>
    Number(await page.locator('#app').getAttribute('data-rendered')),
  ).toBeGreaterThan(before);
}
