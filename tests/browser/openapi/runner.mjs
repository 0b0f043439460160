// Sends one request, checks the answer against the document (and what the case expects of it),
// prints one line, and ends the process on the first mismatch with everything needed to see why.
import { isDeepStrictEqual } from 'node:util';
import { ContractError } from './contract.mjs';
import { exchange } from './wire.mjs';

// Never printed as sent.
const SECRET_HEADERS = ['authorization', 'calendly-webhook-signature', 'webhook-signature'];

export class Runner {
    constructor(contract) {
        this.contract = contract;
        this.passed = 0;
    }

    // A case: { method, target, headers, body, rawHead, localAddress, keepOpen, note,
    //   status       the status expected (the document must also list it),
    //   code         the error code expected,
    //   response     a components/responses entry to check against instead of the operation's
    //                (405 on an unlisted method, 404 on an unlisted path, answers before routing),
    //   schema       a component schema the body must also match (which action's answer it is),
    //   invalid      the request is meant to break the document's rules (not checked as a request),
    //   allow        the methods `Allow` must list (any order),
    //   expect(answer, json)  further checks; throw to fail }
    // Resolves with the answer (and its parsed JSON body, when it has one).
    async check(service, c) {
        const method = c.method ?? 'GET';
        const target = c.target ?? '/';
        const label = `${method} ${target}${c.note ? ` [${c.note}]` : ''}`;
        let answer;
        try {
            answer = await exchange(service.port, { ...c, method, target });
        } catch (error) {
            this.fail(label, c, null, error.message, service);
        }
        let where;
        let json;
        try {
            if (!c.invalid && !c.response && c.rawHead === undefined) {
                const url = new URL(target, 'http://service');
                const problems = this.contract.requestProblems({
                    method: method === 'HEAD' ? 'GET' : method,
                    path: url.pathname,
                    query: [...url.searchParams],
                    headers: c.headers ?? {},
                    body: c.body,
                });
                if (problems.length) throw new ContractError(`the request is not one the document describes: ${problems.join('; ')}`);
            }
            if (answer.status !== c.status) throw new ContractError(`expected status ${c.status}`);
            where = this.contract.checkResponse({ method, path: new URL(target, 'http://service').pathname }, answer, c);
            if ((answer.headers['content-type'] ?? '').startsWith('application/json') && method !== 'HEAD') {
                json = JSON.parse(answer.body);
            }
            if (c.code !== undefined && json?.error?.code !== c.code) {
                throw new ContractError(`expected error code ${c.code}, got ${json?.error?.code}`);
            }
            if (c.allow) {
                const allowed = (answer.headers.allow ?? '').split(',').map((m) => m.trim()).sort();
                if (!isDeepStrictEqual(allowed, [...c.allow].sort())) {
                    throw new ContractError(`Allow lists ${allowed.join(', ')}, expected ${c.allow.join(', ')}`);
                }
            }
            c.expect?.(answer, json);
        } catch (error) {
            this.fail(label, c, answer, error.message, service);
        }
        this.passed++;
        const extra = c.schema ? ` as ${c.schema}` : json?.error?.code ? ` ${json.error.code}` : '';
        console.log(`ok ${String(this.passed).padStart(3)} ${label} -> ${answer.status}${extra} (${where})`);
        // For refreshing the document's examples from the real service.
        if (process.env.OPENAPI_TEST_SHOW_BODIES && answer.body) console.log(`    ${answer.body.slice(0, 4000)}`);
        return { ...answer, json };
    }

    // A check that is not one request (the document itself, the served copy of it).
    pass(text) {
        this.passed++;
        console.log(`ok ${String(this.passed).padStart(3)} ${text}`);
    }

    fail(label, c, answer, problem, service) {
        const lines = [`FAIL ${label}`, `  problem: ${problem}`];
        if (c) {
            const headers = Object.entries(c.headers ?? {}).map(([name, value]) =>
                `${name}: ${SECRET_HEADERS.includes(name.toLowerCase()) ? '[redacted]' : value}`);
            if (headers.length) lines.push(`  request headers: ${headers.join(' | ')}`);
            if (c.body !== undefined) lines.push(`  request body: ${String(c.body).slice(0, 500)}`);
        }
        if (answer) {
            lines.push(`  status: ${answer.status} ${answer.reason}`);
            lines.push(`  headers: ${JSON.stringify(answer.headers)}`);
            lines.push(`  body: ${answer.body.slice(0, 2000)}`);
        }
        if (service?.log) lines.push(`  service log (end):\n${service.log.split('\n').slice(-15).join('\n')}`);
        console.error(lines.join('\n'));
        console.log(`openapi: ${this.passed} passed, 1 failed`);
        process.exit(1);
    }
}
