import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { startViewer, type Viewer } from 'otelkit-viewer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const demo = resolve(import.meta.dirname, '..');

interface ErrorGroup {
  service: string;
  type: string;
  message: string;
  count: number;
  traceIds: string[];
}

let viewer: Viewer;
beforeAll(async () => {
  viewer = await startViewer({ port: 0, db: ':memory:', onRefusal: () => {} });
});
afterAll(async () => {
  await viewer?.close();
});

/** Runs an app that crashes as `crash` says, exporting to the viewer; its exit code. */
async function crashingApp(service: string, crash: string): Promise<number | null> {
  const code = `
    import { captureCrashes, withSpan } from 'otelkit';
    import { setup } from 'otelkit/setup';
    setup({ service: { name: '${service}' }, endpoint: process.env.VIEWER_URL });
    captureCrashes();
    ${crash}
    setTimeout(() => console.log('still running'), 10_000);
  `;
  const child = spawn(
    process.execPath,
    ['--conditions=otelkit-source', '--input-type=module', '--eval', code],
    { cwd: demo, env: { ...process.env, VIEWER_URL: viewer.url }, stdio: 'ignore' },
  );
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  return exitCode;
}

const errorsOf = async (service: string) =>
  (
    (await (await fetch(`${viewer.url}/api/errors?service=${service}`)).json()) as {
      errors: ErrorGroup[];
    }
  ).errors;

describe('a crash on the errors page', () => {
  it('counts a crash that escaped a withSpan once: the crash span links to the span that recorded it', async () => {
    const exit = await crashingApp(
      'crash-in-span',
      `withSpan('handle job', async () => {
        await new Promise((r) => setTimeout(r, 0));
        throw new Error('disk on fire');
      });`,
    );
    expect(exit).toBe(1);
    const errors = await errorsOf('crash-in-span');
    expect(errors.reduce((sum, group) => sum + group.count, 0)).toBe(1);
    expect(errors[0]).toMatchObject({ type: 'Error', message: 'disk on fire', count: 1 });
  });

  it('counts a crash outside any span once, on the crash span', async () => {
    const exit = await crashingApp(
      'crash-outside',
      `setTimeout(() => { throw new Error('disk on fire'); }, 0);`,
    );
    expect(exit).toBe(1);
    const errors = await errorsOf('crash-outside');
    expect(errors).toMatchObject([{ type: 'Error', message: 'disk on fire', count: 1 }]);
  });
});
