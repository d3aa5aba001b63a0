/**
 * Headless Chromium for the graph's browser test and the README screenshot: Debian's `chromium` (`.ci/run`
 * installs it when missing), run with its own temporary profile and HOME, no network, no GPU, no sandbox
 * (containers have no user namespaces).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

/** Path of the Chromium binary (CHROMIUM_BIN, else chromium / chromium-browser on PATH); throws with the install command. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.CHROMIUM_BIN, 'chromium', 'chromium-browser'].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    const found = spawnSync('sh', ['-c', `command -v "$0"`, candidate], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  throw new Error('Chromium not found: install it with "apt-get install chromium" (.ci/run does), or set CHROMIUM_BIN.');
}

/** Runs Chromium on a local HTML file with a throwaway profile; returns stdout. */
function runChromium(htmlFile: string, extra: string[], timeoutMs: number): string {
  const profile = mkdtempSync(path.join(tmpdir(), 'omni-chromium-'));
  try {
    return execFileSync(findChromium(), [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...extra, pathToFileURL(path.resolve(htmlFile)).href], {
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, HOME: profile },
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Chromium's flags for a PNG screenshot of the page's first `width`×`height` CSS pixels. */
function screenshotFlags(pngFile: string, size: { width: number; height: number }): string[] {
  return [`--screenshot=${path.resolve(pngFile)}`, `--window-size=${size.width},${size.height}`, '--hide-scrollbars'];
}

/**
 * The DOM after Chromium has parsed and laid out the page (`--dump-dom`); with `shot`, the same browser run also
 * writes the screenshot `screenshot()` writes (headless Chromium carries out both commands on one page load).
 */
export function dumpDom(htmlFile: string, shot?: { pngFile: string; width: number; height: number }, timeoutMs = 120_000): string {
  return runChromium(htmlFile, ['--dump-dom', ...(shot ? screenshotFlags(shot.pngFile, shot) : [])], timeoutMs);
}

/** A PNG screenshot of the page's first `width`×`height` CSS pixels. */
export function screenshot(htmlFile: string, pngFile: string, size: { width: number; height: number }, timeoutMs = 120_000): void {
  runChromium(htmlFile, screenshotFlags(pngFile, size), timeoutMs);
}
