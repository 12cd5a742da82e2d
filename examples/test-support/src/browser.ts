import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, which the browser tests drive (`apt-get install chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * A headless Chromium whose camera plays `camera` (a .y4m file, looped) and grants it without asking,
 * with a fresh profile in `profile`: no state from an earlier test or a person's own browser.
 */
export function launchWithFakeCamera(camera: string, profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1100, height: 760 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${camera}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
