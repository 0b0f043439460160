// The calendly-realtime binary as a child process in sandbox mode (no keys: a built-in fake
// Calendly and the sandbox assistant), on 127.0.0.1 with a port of its choosing and a fresh data
// directory. Its stderr is kept to explain a failure. `settings` (environment variables) are
// applied last, so a test may give it an admin token, a webhook secret or tighter limits.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Settings that would take the service out of sandbox mode.
const KEYS = ['OPENAI_API_KEY', 'CALENDLY_API_KEY', 'CALENDLY_WEBHOOK_SECRET', 'API_ADMIN_TOKEN'];

export class ServiceProcess {
    constructor(binary, webRoot, settings = {}) {
        this.binary = binary;
        this.webRoot = webRoot;
        this.settings = settings;
        this.dir = mkdtempSync(path.join(tmpdir(), 'calrt-browser-'));
        this.log = '';
        this.exited = null; // { code, signal } once it has exited
        this.child = null;
    }

    // Resolves with the port from its "listening ... port=N" line.
    start(timeoutMs) {
        const env = {
            ...process.env,
            PORT: '0',
            DATA_DIR: path.join(this.dir, 'data'),
            WEB_ROOT: this.webRoot,
            LOG_LEVEL: 'info',
        };
        for (const key of KEYS) delete env[key];
        Object.assign(env, this.settings);
        // The temporary directory as working directory: no .env file of the checkout is read.
        this.child = spawn(this.binary, ['--host', '127.0.0.1'], {
            cwd: this.dir,
            env,
            stdio: ['ignore', 'ignore', 'pipe'],
        });
        this.exit = new Promise((resolve) => {
            this.child.on('exit', (code, signal) => resolve((this.exited = { code, signal })));
            this.child.on('error', (error) => resolve((this.exited = { error })));
        });
        return new Promise((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`no "listening" line in ${timeoutMs} ms:\n${this.log}`)),
                timeoutMs,
            );
            this.child.on('error', reject);
            this.child.stderr.setEncoding('utf8');
            this.child.stderr.on('data', (text) => {
                this.log += text;
                const port = /listening .*port=(\d+)/.exec(this.log)?.[1];
                if (port) {
                    clearTimeout(timer);
                    resolve(Number(port));
                }
            });
            this.exit.then(() => reject(new Error(`the service exited at start-up:\n${this.log}`)));
        });
    }

    signal(name) {
        this.child.kill(name);
    }

    // Kills it if it still runs (synchronous, so it also works from process.on('exit')).
    kill() {
        if (this.child && !this.exited) this.child.kill('SIGKILL');
    }

    async stop() {
        this.kill();
        if (this.child) await this.exit;
        rmSync(this.dir, { recursive: true, force: true });
    }
}
