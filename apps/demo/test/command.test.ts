// The `pnpm demo` command itself (the built dist/main.js): it prints its URL, serves, and shuts
// down on Ctrl-C; --check verifies and exits; a taken port is a clear error.

import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const FREE_PORTS = ['--port', '0', '--cdn-port', '0', '--logx-port', '0', '--odp-port', '0'];

function run(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  // CI must not turn the interactive run into a check.
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, CI: '' } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitForOutput(
  output: () => string,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('pnpm demo', () => {
  it('prints its URL, serves the page, and stops cleanly on SIGINT', async () => {
    const demo = run(FREE_PORTS);
    const [, url] = await waitForOutput(demo.output, /Open (http:\/\/127\.0\.0\.1:\d+\/)/);
    await waitForOutput(demo.output, /Press Ctrl-C/);
    const page = await fetch(url as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('FlagKit demo');
    demo.child.kill('SIGINT');
    expect(await demo.exit).toBe(0);
    expect(demo.output()).toContain('Stopped.');
    await expect(fetch(url as string)).rejects.toThrow();
  });

  it('with --check, checks that everything answers and exits 0', async () => {
    const demo = run([...FREE_PORTS, '--check']);
    expect(await demo.exit).toBe(0);
    expect(demo.output()).toContain('ok  server-side decision');
    expect(demo.output()).toContain('The demo answers.');
  });

  it('names the port that is taken and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const demo = run(['--port', '0', '--cdn-port', '0', '--logx-port', String(port), '--odp-port', '0']);
      expect(await demo.exit).toBe(1);
      expect(demo.output()).toContain(
        `The logx stand-in cannot listen on 127.0.0.1:${port}: the port is in use.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses a port that is not a number', async () => {
    const demo = run(['--port', 'eighty']);
    expect(await demo.exit).toBe(1);
    expect(demo.output()).toContain('--port must be a port number from 0 to 65535, got "eighty".');
  });
});
