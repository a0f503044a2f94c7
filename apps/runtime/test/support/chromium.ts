// The browser of the page tests: Debian's chromium driven by playwright-core (never a download),
// and where the tests leave their screenshots.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Every run's screenshots. */
export const screenshotDirectory = `${repositoryRoot}.test-results/screenshots/`;
/** With UPDATE_SCREENSHOTS=1 the screenshots also replace the README's. */
export const readmeScreenshots = `${repositoryRoot}docs/screenshots/`;

/** Chromium, headless; a clear error naming the package when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`the browser tests drive Debian's chromium at ${chromiumPath}: apt-get install chromium`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}
