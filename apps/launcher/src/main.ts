// `npm start` lands here: it runs the server, and (once the local cluster lands) starts the local
// cluster first when KUBECONFIG is unset, handing the server the kubeconfig it wrote. The server itself
// never knows which cluster it talks to.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const serverEntry = join(here, '../../bff/src/main.ts');

const server = spawn(process.execPath, [serverEntry], { stdio: 'inherit', env: process.env });
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.kill(signal));
}
