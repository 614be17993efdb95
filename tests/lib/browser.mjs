// Debian's Chromium, headless, driven by playwright-core; never a downloaded browser.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const chromiumPath = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

// A fresh user-data-dir per launch; the flags keep Chromium off the network.
export async function launchBrowser({ args = [] } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'chat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', ...args],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
