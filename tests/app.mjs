// Serves the app for a Node test (the browser test, the oracle): tests/serve.sh on
// a free port, on the runtime the run chose (Spin when SPIN_BIN is set, else
// devhost), and waits until it answers. The caller stops it; a last-resort exit
// hook kills it if node goes down another way.

import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RUNTIME = process.env.SPIN_BIN ? `Spin (${process.env.SPIN_BIN})` : 'devhost';
const SERVE = path.join(ROOT, 'tests/serve.sh');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

export class ServedApp {
    constructor(child, base) {
        this.child = child;
        this.base = base;
        this.output = '';
        this.exited = null;
        const keep = (chunk) => {
            this.output = (this.output + chunk.toString()).slice(-20_000);
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        child.on('exit', (code, signal) => {
            this.exited = { code, signal };
        });
        process.on('exit', () => this.child.kill('SIGKILL'));
    }

    // Starts the app and resolves once it answers; throws `fail(message)` if it
    // exits first or does not answer within two minutes (a cold compile cache on
    // two cores takes a while).
    static async start(fail = (message) => new Error(message)) {
        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        const child = spawn(SERVE, [String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        const app = new ServedApp(child, base);
        const deadline = Date.now() + 120_000;
        while (Date.now() < deadline) {
            if (app.exited) {
                throw fail(`${RUNTIME} exited (code ${app.exited.code}, signal ${app.exited.signal}) before it answered:\n${app.output}`);
            }
            try {
                const res = await fetch(`${base}/.well-known/spin/health`);
                if (res.ok) return app;
            } catch {
                // not listening yet
            }
            await sleep(200);
        }
        await app.stop();
        throw fail(`${RUNTIME} did not answer on ${base} within 120 s:\n${app.output}`);
    }

    // The last lines of the app's output, for a failure report.
    tail(lines = 40) {
        return this.output.split('\n').slice(-lines).join('\n');
    }

    async stop() {
        const child = this.child;
        if (child.exitCode !== null || child.signalCode !== null) return;
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
    }
}
