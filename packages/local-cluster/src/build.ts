// Builds the control plane from Kubernetes' own Go modules, once per machine and version, into
// $XDG_CACHE_HOME/auditorium/kube/<version>/, shared by every clone, `npm start`, `npm test` and CI.
// Atomic: binaries go to a temporary directory that is renamed into place only when all of them are built,
// so an interrupted build leaves nothing that looks finished. Concurrent builders (two test runs, or npm
// start beside npm test) queue on a lock file; the second one finds the finished directory and uses it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isAlive } from './process.ts';
import { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION, MINIMUM_GO_VERSION } from './versions.ts';

export type BinaryName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';
export type Binaries = Record<BinaryName, string>;

export const BINARY_NAMES: readonly BinaryName[] = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
];

/** One `go build` invocation: which wrapper module, which package, which output. */
interface BuildStep {
  binary: BinaryName;
  module: 'kube' | 'etcd' | 'kwok';
  goPackage: string;
  tags?: string;
  ldflags: string;
}

const goModulesDir = fileURLToPath(new URL('../go/', import.meta.url));

// The flags of upstream's hack/lib/golang.sh: static, trimmed, and stamped with the version, without which
// `--version` says v0.0.0-master and version-sensitive clients pick the wrong behaviour.
const kubeVersionFlags = (() => {
  const [major, minor] = KUBERNETES_VERSION.replace(/^v/, '').split('.');
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => [
      `-X ${pkg}.gitVersion=${KUBERNETES_VERSION}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
    ])
    .join(' ');
})();

const BUILD_STEPS: readonly BuildStep[] = [
  { binary: 'etcd', module: 'etcd', goPackage: 'go.etcd.io/etcd/server/v3', ldflags: '-s -w' },
  ...(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const).map(
    (binary): BuildStep => ({
      binary,
      module: 'kube',
      goPackage: `k8s.io/kubernetes/cmd/${binary}`,
      tags: 'selinux,notest',
      ldflags: `-s -w ${kubeVersionFlags}`,
    }),
  ),
  { binary: 'kwok', module: 'kwok', goPackage: 'sigs.k8s.io/kwok/cmd/kwok', ldflags: '-s -w' },
];

/** What a finished cache directory records, so a version bump of any part rebuilds. */
const MANIFEST = 'manifest.json';
function manifestText(): string {
  return `${JSON.stringify({ kubernetes: KUBERNETES_VERSION, etcd: ETCD_VERSION, kwok: KWOK_VERSION }, null, 2)}\n`;
}

export function buildCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'auditorium', 'kube');
}

export function buildCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(buildCacheRoot(env), KUBERNETES_VERSION);
}

/** How long the build of a cache directory took (Go's caches make a rebuild much faster than the first). */
export interface BuildRecord {
  go: string;
  builtAt: string;
  seconds: number;
  stepSeconds: Record<BinaryName, number>;
}
const BUILD_RECORD = 'build.json';

/** The record of the cached build, or null when there is none (not built, or built before records were kept). */
export function readBuildRecord(env: NodeJS.ProcessEnv = process.env): BuildRecord | null {
  try {
    return JSON.parse(readFileSync(join(buildCacheDir(env), BUILD_RECORD), 'utf8')) as BuildRecord;
  } catch {
    return null;
  }
}

/** Whether this machine already has a finished build of this version (so a start needs no Go). */
export function isBuilt(env: NodeJS.ProcessEnv = process.env): boolean {
  return isCompleteBuild(buildCacheDir(env));
}

function binariesIn(dir: string): Binaries {
  return Object.fromEntries(BINARY_NAMES.map((name) => [name, join(dir, name)])) as Binaries;
}

function isCompleteBuild(dir: string): boolean {
  try {
    return readFileSync(join(dir, MANIFEST), 'utf8') === manifestText();
  } catch {
    return false;
  }
}

/** Compares dotted versions numerically: 1.26.10 > 1.26.9. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const have = version.split('.').map(Number);
  const need = minimum.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

const noGoAdvice =
  `Install Go ${MINIMUM_GO_VERSION} or newer (https://go.dev/dl/, or your package manager) and put it on PATH; ` +
  'the first start then builds the control plane once (a few minutes). Or set KUBECONFIG to use any existing ' +
  'cluster instead, or AUDITORIUM_KUBE_BIN_DIR / KUBEBUILDER_ASSETS to a directory that already holds the binaries.';

/** Where Go's own installers put it, for shells whose PATH lacks it (go.dev's tarball, `go install golang.org/dl/…`). */
export const USUAL_GO_LOCATIONS: readonly string[] = [
  '/usr/local/go/bin/go',
  join(homedir(), 'go', 'bin', 'go'),
  join(homedir(), 'sdk', 'go', 'bin', 'go'),
];

/** Finds a Go toolchain new enough for the wrapper modules, or throws saying what to install. */
export function findGo(
  env: NodeJS.ProcessEnv = process.env,
  usualLocations: readonly string[] = USUAL_GO_LOCATIONS,
): { go: string; version: string } {
  const candidates = [
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'go')),
    ...usualLocations,
  ];
  let tooOld: string | null = null;
  for (const go of candidates) {
    if (!existsSync(go)) continue;
    // GOTOOLCHAIN=local: report the Go that is installed, not one it would download.
    const probe = spawnSync(go, ['env', 'GOVERSION'], {
      encoding: 'utf8',
      env: { ...env, GOTOOLCHAIN: 'local' },
    });
    const version = probe.stdout?.trim().replace(/^go/, '') ?? '';
    if (probe.status !== 0 || !version) continue;
    if (versionAtLeast(version, MINIMUM_GO_VERSION)) return { go, version };
    tooOld ??= `${go} is Go ${version}`;
  }
  if (tooOld) {
    throw new Error(
      `The local cluster is built from source with Go, but ${tooOld}, older than ${MINIMUM_GO_VERSION}. ${noGoAdvice}`,
    );
  }
  throw new Error(`The local cluster is built from source with Go, which was not found. ${noGoAdvice}`);
}

export interface BuildOptions {
  env?: NodeJS.ProcessEnv;
  /** Progress lines for people: which binary, how long it has taken. */
  log?: (line: string) => void;
  /** Called when building starts and ends, so the supervisor can show a `building` state. */
  onBuilding?: (building: boolean) => void;
}

/**
 * The directory holding all five binaries. An override directory (AUDITORIUM_KUBE_BIN_DIR, then
 * KUBEBUILDER_ASSETS) wins for each binary it holds; envtest's assets have no kwok or controllers, and those
 * come from the build cache.
 */
export async function resolveBinaries(options: BuildOptions = {}): Promise<Binaries> {
  const env = options.env ?? process.env;
  const overrideDir = env.AUDITORIUM_KUBE_BIN_DIR || env.KUBEBUILDER_ASSETS;
  const fromOverride: Partial<Binaries> = {};
  if (overrideDir) {
    for (const name of BINARY_NAMES) {
      const candidate = join(overrideDir, name);
      if (existsSync(candidate)) fromOverride[name] = candidate;
    }
    if (BINARY_NAMES.every((name) => fromOverride[name])) return fromOverride as Binaries;
  }
  const built = await ensureBuilt(options);
  return { ...built, ...fromOverride };
}

/** Returns the cached build, building it first if this machine has none for this version. */
export async function ensureBuilt(options: BuildOptions = {}): Promise<Binaries> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const dir = buildCacheDir(env);
  if (isCompleteBuild(dir)) return binariesIn(dir);

  const root = buildCacheRoot(env);
  mkdirSync(root, { recursive: true });
  const lockFile = join(root, `${KUBERNETES_VERSION}.lock`);
  await acquireLock(lockFile, log);
  try {
    // Another builder may have finished while we waited for the lock.
    if (isCompleteBuild(dir)) return binariesIn(dir);
    options.onBuilding?.(true);
    await buildInto(dir, env, log);
    return binariesIn(dir);
  } finally {
    rmSync(lockFile, { force: true });
    options.onBuilding?.(false);
  }
}

async function acquireLock(lockFile: string, log: (line: string) => void): Promise<void> {
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (!Number.isFinite(holder) || !isAlive(holder)) {
      // The builder that held it died (Ctrl-C, kill -9): its half-built temp dir is discarded by the next build.
      rmSync(lockFile, { force: true });
      continue;
    }
    if (!announced) {
      log(`waiting for another build of the local cluster (pid ${holder}, lock ${lockFile})`);
      announced = true;
    }
    await sleep(1000);
  }
}

async function buildInto(dir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const { go, version } = findGo(env);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  log(
    `building the local cluster (Kubernetes ${KUBERNETES_VERSION}, etcd ${ETCD_VERSION}, kwok ${KWOK_VERSION}) with Go ${version}. ` +
      `This happens once per machine and version and takes a few minutes; later starts reuse ${dir}.`,
  );
  const stepSeconds: Partial<Record<BinaryName, number>> = {};
  for (const step of BUILD_STEPS) {
    const stepStarted = Date.now();
    await runGoBuild(go, step, tmp, env, log);
    stepSeconds[step.binary] = (Date.now() - stepStarted) / 1000;
  }
  const record: BuildRecord = {
    go: version,
    builtAt: new Date().toISOString(),
    seconds: (Date.now() - started) / 1000,
    stepSeconds: stepSeconds as Record<BinaryName, number>,
  };
  writeFileSync(join(tmp, BUILD_RECORD), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(tmp, MANIFEST), manifestText());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`built the local cluster in ${formatElapsed(Date.now() - started)} into ${dir}`);
}

function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

async function runGoBuild(
  go: string,
  step: BuildStep,
  outDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  const args = ['build', '-trimpath'];
  if (step.tags) args.push('-tags', step.tags);
  args.push('-ldflags', step.ldflags, '-o', join(outDir, step.binary), step.goPackage);
  const started = Date.now();
  log(`  building ${step.binary}…`);
  const ticker = setInterval(() => {
    log(`  building ${step.binary}… ${formatElapsed(Date.now() - started)}`);
  }, 20_000);
  const output: string[] = [];
  try {
    const exit = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, args, {
        cwd: join(goModulesDir, step.module),
        // GOWORK=off: a go.work above the checkout must not pull our wrapper modules into someone else's workspace.
        env: { ...env, CGO_ENABLED: '0', GOWORK: 'off', GOFLAGS: '-mod=readonly' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (exit !== 0) {
      throw new Error(
        `go build of ${step.binary} (${step.goPackage}) failed with exit ${exit}:\n${output.join('').trim().slice(-4000)}`,
      );
    }
  } finally {
    clearInterval(ticker);
  }
  log(`  built ${step.binary} in ${formatElapsed(Date.now() - started)}`);
}
