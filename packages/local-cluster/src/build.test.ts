// What a machine without a usable Go is told, and that the cached build is found without Go.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { findGo, isBuilt, resolveBinaries, versionAtLeast } from './build.ts';
import { clusterInfo } from './testing/test-cluster.ts';
import { MINIMUM_GO_VERSION } from './versions.ts';

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A directory holding a `go` that answers `go env GOVERSION` as the given release would. */
function dirWithGo(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-go-'));
  scratch.push(dir);
  writeFileSync(join(dir, 'go'), `#!/bin/sh\n[ "$1 $2" = "env GOVERSION" ] && echo go${version}\n`);
  chmodSync(join(dir, 'go'), 0o755);
  return dir;
}

describe('findGo', () => {
  test('without Go, says to install it and that KUBECONFIG or prebuilt binaries avoid the build', () => {
    expect(() => findGo({ PATH: '' }, [])).toThrow(
      /Go, which was not found\. Install Go 1\.26\.0 or newer .*KUBECONFIG .*AUDITORIUM_KUBE_BIN_DIR/s,
    );
  });

  test('with a Go that is too old, names it and the version needed', () => {
    const dir = dirWithGo('1.22.5');
    expect(() => findGo({ PATH: dir }, [])).toThrow(
      new RegExp(`${dir}/go is Go 1\\.22\\.5, older than ${MINIMUM_GO_VERSION.replaceAll('.', '\\.')}`),
    );
  });

  test('skips a too old Go for a newer one further along PATH', () => {
    const old = dirWithGo('1.22.5');
    const recent = dirWithGo('1.26.8');
    expect(findGo({ PATH: `${old}:${recent}` }, [])).toEqual({ go: join(recent, 'go'), version: '1.26.8' });
  });

  test('compares versions numerically', () => {
    expect(versionAtLeast('1.26.10', '1.26.9')).toBe(true);
    expect(versionAtLeast('1.26', '1.26.0')).toBe(true);
    expect(versionAtLeast('1.9.0', '1.26.0')).toBe(false);
  });
});

// The shared test cluster started from this machine's build cache (unless KUBECONFIG named another cluster).
describe.skipIf(clusterInfo().external)('resolveBinaries', () => {
  test('uses the cached build without looking for Go', async () => {
    expect(isBuilt()).toBe(true);
    const binaries = await resolveBinaries({ env: { ...process.env, PATH: '' } });
    expect(Object.keys(binaries).sort()).toEqual([
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
    ]);
  });

  test('an AUDITORIUM_KUBE_BIN_DIR with some binaries takes those and the rest from the cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-bin-'));
    scratch.push(dir);
    writeFileSync(join(dir, 'kube-apiserver'), '');
    const binaries = await resolveBinaries({ env: { ...process.env, AUDITORIUM_KUBE_BIN_DIR: dir } });
    expect(binaries['kube-apiserver']).toBe(join(dir, 'kube-apiserver'));
    expect(binaries.etcd).not.toContain(dir);
  });
});
