/**
 * `npm run bench`: runs every `bench/*.bench.ts`, one child process each (so one benchmark's heap, threads
 * and RSS do not colour the next), one after another (they measure throughput on the same cores). Each
 * benchmark writes its own JSON to `bench/results/<name>.json`; this runner checks it appeared and prints
 * where. Arguments: names to run (`npm run bench -- receiver`); none runs all.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const benchmarks = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => basename(file, '.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
if (benchmarks.length === 0) {
  process.stderr.write(`bench: nothing to run (asked for ${wanted.join(', ')})\n`);
  process.exit(1);
}

function run(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(benchDir, `${name}.bench.ts`)], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let failed = 0;
for (const name of benchmarks) {
  const resultFile = join(resultsDir, `${name}.json`);
  const before = existsSync(resultFile) ? statSync(resultFile).mtimeMs : 0;
  process.stderr.write(`bench: ${name}\n`);
  const started = Date.now();
  const code = await run(name);
  const wrote = existsSync(resultFile) && statSync(resultFile).mtimeMs > before;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0 || !wrote) {
    failed += 1;
    process.stderr.write(
      `bench: ${name} failed after ${seconds}s (exit ${code}${wrote ? '' : ', no results written'})\n`,
    );
  } else {
    process.stderr.write(`bench: ${name} done in ${seconds}s → ${resultFile}\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
