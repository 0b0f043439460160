// A real SMTP server for a browser test: testing/smtp/test_smtp_server.py (Debian's python3-aiosmtpd)
// on a 127.0.0.1 port, STARTTLS required, with a throwaway self-signed certificate that the service
// trusts through SMTP_CA_FILE; each message it accepts is a file <n>.eml in its mail directory.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Debian's interpreter, where python3-aiosmtpd is installed.
const PYTHON = '/usr/bin/python3';

export function smtpServerAvailable() {
    return existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/aiosmtpd') && existsSync('/usr/bin/openssl');
}

// A port free a moment ago (the server is told which one to bind).
function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

export class SmtpServer {
    constructor(sourceDir) {
        this.script = path.join(sourceDir, 'testing/smtp/test_smtp_server.py');
        this.dir = mkdtempSync(path.join(tmpdir(), 'calrt-smtp-'));
        this.maildir = path.join(this.dir, 'mail');
        this.caFile = path.join(this.dir, 'server.pem');
        this.child = null;
        this.log = '';
    }

    async start(timeoutMs) {
        mkdirSync(this.maildir);
        const key = path.join(this.dir, 'server.key');
        // Self-signed, so the certificate is its own CA for SMTP_CA_FILE.
        execFileSync('/usr/bin/openssl', [
            'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
            '-keyout', key, '-out', this.caFile, '-days', '1', '-subj', '/CN=localhost',
            '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
        ], { stdio: 'ignore' });
        // A port free a moment ago may be taken before the server binds it: try a few.
        for (let attempt = 0; attempt < 5; ++attempt) {
            this.port = await freePort();
            if (await this.launch(key, timeoutMs)) return this;
        }
        throw new Error(`the test SMTP server did not start:\n${this.log}`);
    }

    launch(key, timeoutMs) {
        this.child = spawn(PYTHON, [this.script, '--port', String(this.port), '--cert', this.caFile, '--key', key, '--maildir', this.maildir], {
            stdio: ['ignore', 'ignore', 'pipe'],
        });
        return new Promise((resolve) => {
            const timer = setTimeout(() => finish(false), timeoutMs);
            const finish = (ok) => {
                clearTimeout(timer);
                if (!ok) this.kill();
                resolve(ok);
            };
            this.child.stderr.setEncoding('utf8');
            this.child.stderr.on('data', (text) => {
                this.log += text;
                if (this.log.includes(`ready ${this.port}`)) finish(true);
            });
            this.child.on('exit', () => finish(false));
        });
    }

    get url() {
        return `smtp://127.0.0.1:${this.port}`;
    }

    // The raw messages received so far, oldest first.
    received() {
        const messages = [];
        for (let n = 1; existsSync(path.join(this.maildir, `${n}.eml`)); ++n) {
            messages.push(readFileSync(path.join(this.maildir, `${n}.eml`), 'latin1'));
        }
        return messages;
    }

    kill() {
        if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }

    stop() {
        this.kill();
        rmSync(this.dir, { recursive: true, force: true });
    }
}

// The decoded text of a message's part of `type` (the service writes each part base64-encoded).
export function mailPart(raw, type) {
    const header = raw.indexOf(`Content-Type: ${type}`);
    if (header < 0) return '';
    const start = raw.indexOf('\r\n\r\n', header);
    const end = raw.indexOf('\r\n--', start + 4);
    const encoded = raw.slice(start + 4, end < 0 ? undefined : end).replace(/\r?\n/g, '');
    return Buffer.from(encoded, 'base64').toString('utf8');
}
