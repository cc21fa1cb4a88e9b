#!/usr/bin/env node
// The README's commands start here. This file runs on whatever Node the machine has (20 or newer), so it
// uses nothing but Node's own modules: it brings the toolchain the product needs (Node 24 from the npm
// registry when the machine's Node is older than 22.13, pnpm, the locked dependencies, Debian's chromium
// for tests), then hands over to pnpm scripts that run on that Node.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '24.21.0';
const PNPM_VERSION = '10.34.9';
const MIN_NODE = [22, 13];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.auditorium');
const toolsDir = join(dataDir, 'tools');

function say(line) {
  process.stderr.write(`auditorium: ${line}\n`);
}

function fail(line) {
  say(line);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) fail(`could not run ${cmd}: ${result.error.message}`);
  return result.status ?? 1;
}

function mustRun(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${status})`);
}

function nodeIsRecentEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/** Extracts an npm package's tarball into `target` (atomically, so an interrupted fetch is retried). */
function fetchNpmPackage(spec, target) {
  const scratch = mkdtempSync(join(tmpdir(), 'auditorium-fetch-'));
  try {
    const packed = spawnSync('npm', ['pack', spec, '--silent', '--pack-destination', scratch], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (packed.status !== 0) fail(`npm pack ${spec} failed; is the npm registry reachable?`);
    const tarball = join(scratch, packed.stdout.trim().split('\n').pop());
    const unpacked = join(scratch, 'unpacked');
    mkdirSync(unpacked);
    mustRun('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(unpacked, target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The directory whose `node` runs the product: the machine's, or Node 24 from the npm registry. */
function ensureNode() {
  if (nodeIsRecentEnough(process.version)) return dirname(process.execPath);
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (process.platform !== 'linux' || !arch) {
    fail(
      `Node ${process.version} is older than ${MIN_NODE.join('.')}; install Node 24 LTS for ${process.platform}-${process.arch}.`,
    );
  }
  const home = join(toolsDir, `node-${NODE_VERSION}`);
  const bin = join(home, 'bin');
  if (!existsSync(join(bin, 'node'))) {
    say(
      `Node ${process.version} is older than ${MIN_NODE.join('.')}: fetching Node ${NODE_VERSION} from the npm registry into ${home}`,
    );
    fetchNpmPackage(`node-linux-${arch}@${NODE_VERSION}`, home);
  }
  return bin;
}

/** pnpm, installed into the tools folder (no global install, no corepack signature trouble). */
function ensurePnpm(nodeBin) {
  const home = join(toolsDir, `pnpm-${PNPM_VERSION}`);
  const entry = join(home, 'bin', 'pnpm.cjs');
  if (!existsSync(entry)) {
    say(`fetching pnpm ${PNPM_VERSION} into ${home}`);
    fetchNpmPackage(`pnpm@${PNPM_VERSION}`, home);
  }
  // package.json scripts call `pnpm` themselves, so it has to be on PATH as a command.
  const shimDir = join(toolsDir, 'bin');
  const shim = join(shimDir, 'pnpm');
  const shimText = `#!/bin/sh\nexec "${join(nodeBin, 'node')}" "${entry}" "$@"\n`;
  if (!existsSync(shim) || readFileSync(shim, 'utf8') !== shimText) {
    mkdirSync(shimDir, { recursive: true });
    writeFileSync(shim, shimText, { mode: 0o755 });
  }
  return { shimDir, pnpm: (args, options) => run(shim, args, options) };
}

/** `pnpm install --frozen-lockfile`, skipped when node_modules already matches the lockfile. */
function ensureDependencies(pnpm, env) {
  const lock = join(root, 'pnpm-lock.yaml');
  const marker = join(root, 'node_modules', '.modules.yaml');
  const upToDate =
    existsSync(marker) &&
    statSync(marker).mtimeMs >= statSync(lock).mtimeMs &&
    readFileSync(marker, 'utf8').includes(`${PNPM_VERSION}`);
  if (upToDate) return;
  const status = pnpm(['install', '--frozen-lockfile', '--prefer-offline', '--reporter=append-only'], { env });
  if (status !== 0) fail('pnpm install failed');
}

/** Debian packages the tests run for real: the browser and Alertmanager (alert tests). */
const testPackages = [
  { name: 'chromium', binary: CHROMIUM },
  { name: 'prometheus-alertmanager', binary: '/usr/bin/prometheus-alertmanager' },
];

function ensureTestPackages() {
  const missing = testPackages.filter((pkg) => !existsSync(pkg.binary)).map((pkg) => pkg.name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    fail(
      `missing ${missing.join(', ')}. Install Debian's packages first: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  say(`installing Debian's ${missing.join(', ')} with apt-get`);
  mustRun('apt-get', ['update', '-qq']);
  mustRun('apt-get', ['install', '-y', '-qq', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const command = process.argv[2];
const rest = process.argv.slice(3);
const nodeBin = ensureNode();
const { shimDir, pnpm } = ensurePnpm(nodeBin);
const env = {
  ...process.env,
  PATH: [nodeBin, shimDir, join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
  DATA_DIR: dataDir,
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
};
ensureDependencies(pnpm, env);

const node = (args) => run(join(nodeBin, 'node'), args, { env });

/** The newest modification time of the files below `path` (skipping dependencies and build output). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/**
 * The console build is the only build step (vite, ~6 s on two cores). A second `npm start` skips it when
 * the built console is newer than everything it is built from, as make would; `npm test` always builds.
 */
function consoleBuildIsCurrent() {
  const built = join(root, 'apps', 'console', 'dist', 'index.html');
  if (!existsSync(built)) return false;
  const inputs = ['apps/console', 'apps/bff/src', 'packages', 'pnpm-lock.yaml', 'package.json', 'tsconfig.base.json'];
  const newestInput = Math.max(...inputs.map((input) => newestMtime(join(root, input))));
  return statSync(built).mtimeMs > newestInput;
}

function buildUnlessCurrent() {
  if (consoleBuildIsCurrent()) {
    say('the console build is up to date (remove apps/console/dist to force a rebuild)');
    return 0;
  }
  return pnpm(['run', 'build'], { env });
}
const steps = {
  start: () => {
    if (buildUnlessCurrent() !== 0) return 1;
    return node(['apps/launcher/src/main.ts', ...rest]);
  },
  test: () => {
    ensureTestPackages();
    for (const step of ['lint', 'typecheck', 'test:unit', 'build', 'test:e2e']) {
      say(`npm test: ${step}`);
      const status = pnpm(['run', step], { env });
      if (status !== 0) return status;
    }
    return 0;
  },
  bench: () => {
    if (pnpm(['run', 'build'], { env }) !== 0) return 1;
    return node(['bench/run.ts', ...rest]);
  },
  cluster: () => node(['packages/local-cluster/src/cli.ts', ...rest]),
};

if (!steps[command]) fail(`usage: node scripts/run.mjs ${Object.keys(steps).join('|')}`);
process.exit(steps[command]());
