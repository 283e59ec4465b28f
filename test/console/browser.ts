/**
 * The browser the console tests and the console benchmark drive: Debian's
 * chromium on the PATH through playwright-core (a browser download cannot
 * work on the CI machines), with WebGL drawn in software by SwiftShader so
 * sigma renders without a GPU.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** The chromium on the PATH (.ci/run installs Debian's package). */
export function chromiumPath(): string {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('no chromium on the PATH: install Debian\'s chromium package (.ci/run does)');
}

/** Launch headless chromium with software WebGL. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
}
