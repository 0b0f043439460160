// HTTP/1.1 over a plain socket, so that a test can send what no well-behaved client would (an
// unknown method, a malformed head, a body over the limit, a WebSocket upgrade) and see the
// answer exactly as the service wrote it: status, every header, the body's bytes.
import { createHmac } from 'node:crypto';
import net from 'node:net';

const WAIT_MS = 5_000;

// One request on a new connection. `body` is a string or a Buffer; Content-Length is added unless
// the caller set it or Transfer-Encoding. `rawHead` replaces the whole head (request line and
// headers) for the malformed cases. Resolves with { status, reason, headers, body, socket } where
// headers maps lower-case names to their values joined by ", "; `keepOpen` leaves the socket open
// after the answer (a WebSocket after its 101, a keep-alive connection): the caller ends it.
export function exchange(port, { method = 'GET', target = '/', headers = {}, body, rawHead, localAddress,
                                 keepOpen = false } = {}) {
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    let head = rawHead;
    if (head === undefined) {
        const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
        const names = Object.keys(headers).map((name) => name.toLowerCase());
        if (!names.includes('connection')) lines.push('Connection: close');
        for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
        if (body !== undefined && !names.includes('content-length') && !names.includes('transfer-encoding')) {
            lines.push(`Content-Length: ${payload.length}`);
        }
        head = `${lines.join('\r\n')}\r\n\r\n`;
    }
    return new Promise((resolve, reject) => {
        const socket = net.connect({ port, host: '127.0.0.1', localAddress });
        const chunks = [];
        let settled = false;
        const parsed = (closed = false) => parseResponse(Buffer.concat(chunks), method === 'HEAD', closed);
        const settle = (error, response) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (error || !keepOpen) socket.destroy();
            if (error) reject(error);
            else resolve({ ...response, socket });
        };
        const timer = setTimeout(() => settle(new Error(`no complete answer in ${WAIT_MS} ms`)), WAIT_MS);
        socket.on('connect', () => {
            // The server may answer (and close) before it has read everything: a write error
            // after that is expected, the answer is what counts.
            socket.write(head);
            if (payload.length) socket.write(payload);
        });
        socket.on('data', (data) => {
            chunks.push(data);
            const response = parsed();
            if (response?.complete) settle(null, response);
        });
        socket.on('error', () => {}); // 'close' follows and decides
        socket.on('close', () => {
            const response = parsed(true);
            if (response?.complete) settle(null, response);
            else settle(new Error(`the connection closed after ${Buffer.concat(chunks).length} bytes of the answer`));
        });
    });
}

// A response as far as it has arrived; `complete` once the head and the body (by Content-Length,
// else up to the close; none for 101 and HEAD) are all there.
function parseResponse(bytes, isHead, closed) {
    const end = bytes.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const lines = bytes.subarray(0, end).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0]);
    if (!match) return { status: null, reason: `not an HTTP status line: ${lines[0]}`, headers: {}, body: '', complete: true };
    const headers = {};
    for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const status = Number(match[1]);
    const rest = bytes.subarray(end + 4);
    const length = headers['content-length'] === undefined ? null : Number(headers['content-length']);
    const noBody = status === 101 || isHead || status === 204 || status === 304;
    const body = noBody ? Buffer.alloc(0) : length === null ? rest : rest.subarray(0, length);
    const complete = noBody || (length === null ? closed : rest.length >= length);
    return { status, reason: match[2], headers, body: body.toString('utf8'), complete };
}

// Calendly's webhook signature header for `body` signed at `t` (Unix seconds) with `key`.
export function calendlySignature(key, body, t = Math.floor(Date.now() / 1000)) {
    const v1 = createHmac('sha256', key).update(`${t}.${body}`).digest('hex');
    return `t=${t},v1=${v1}`;
}

// OpenAI's Standard Webhooks headers for `body`: the key is the base64 after `whsec_`
// (openai-node src/lib/webhook-signature.ts).
export function openAiWebhookHeaders(secret, body, id, t = Math.floor(Date.now() / 1000)) {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const v1 = createHmac('sha256', key).update(`${id}.${t}.${body}`).digest('base64');
    return { 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': `v1,${v1}` };
}
