import { type Browser, chromium } from 'playwright-core';

/**
 * Launches Debian's chromium (never a downloaded browser), headless, with
 * background networking off: the machine has no network beyond loopback.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
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
