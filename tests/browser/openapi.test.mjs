// docs/openapi.yaml against the real service: the document is valid OpenAPI 3.1, the service
// serves exactly it at GET /api/openapi.json, and every documented request, and the error cases,
// get answers the document describes: a listed status, the headers that matter, a body that
// matches the schema (closed objects: an undocumented field fails), an error code the response
// lists. One line per checked request; the first mismatch ends the run with the request, the
// status and the body.
//
//   node tests/browser/openapi.test.mjs <path/to/calendly-realtime> [<source dir>]
//
// OPENAPI_TEST_SHOW_BODIES=1 prints every answer's body too (to refresh the document's examples).
//
// Needs `npm ci --prefix tests/browser` (exit 77, "skipped", without it). Five instances of the
// binary run: in sandbox mode the main one (with an admin token and a webhook secret), one with
// tight limits and no admin token, one serving the sandbox organization (organization mode), and
// one that takes two connections; and one whose Calendly is a local fake that fails
// (openapi/broken_calendly.mjs). Nothing leaves 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceProcess } from './service_process.mjs';

// ctest reports this exit code as "skipped" (SKIP_RETURN_CODE in tests/CMakeLists.txt).
const SKIPPED = 77;
const [binary, sourceArgument] = process.argv.slice(2);
if (!binary) {
    console.error('usage: node openapi.test.mjs <calendly-realtime binary> [<source dir>]');
    process.exit(2);
}
for (const dependency of ['yaml', 'ajv/dist/2020.js', 'ajv-formats', '@seriousme/openapi-schema-validator']) {
    try {
        await import(dependency);
    } catch (error) {
        if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
        console.error(`skipped: needs ${dependency} (npm ci --prefix tests/browser, or scripts/install-deps.sh)`);
        process.exit(SKIPPED);
    }
}
const { Contract } = await import('./openapi/contract.mjs');
const { Runner } = await import('./openapi/runner.mjs');
const scenarios = await import('./openapi/scenarios.mjs');
const { startBrokenCalendly } = await import('./openapi/broken_calendly.mjs');

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(sourceArgument ?? path.join(here, '../..'));
const WAIT_MS = 10_000;

let contract;
try {
    contract = await Contract.load(path.join(sourceDir, 'docs/openapi.yaml'));
} catch (error) {
    console.error(`FAIL docs/openapi.yaml\n  problem: ${error.message}`);
    console.log('openapi: 0 passed, 1 failed');
    process.exit(1);
}
const run = new Runner(contract);
try {
    const { schemas, examples } = contract.checkDocument();
    run.pass(`docs/openapi.yaml is OpenAPI 3.1; its ${schemas} schemas compile (JSON Schema 2020-12, strict); its ${examples} examples match them`);
} catch (error) {
    run.fail('docs/openapi.yaml', null, null, error.message);
}

// Made up for this run; never printed.
const adminToken = randomBytes(24).toString('hex');
const webhookSecret = randomBytes(24).toString('hex');
const openAiWebhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
const metricsToken = randomBytes(24).toString('hex');
const generous = {
    PUBLIC_READ_RATE_LIMIT_PER_MINUTE: '100000', PUBLIC_READ_RATE_LIMIT_BURST: '10000',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000', PUBLIC_RATE_LIMIT_BURST: '10000',
    REALTIME_CONNECTIONS_PER_MINUTE: '100000', REALTIME_MAX_SESSIONS_PER_ADDRESS: '1000',
};
const webRoot = path.join(sourceDir, 'web');
const brokenCalendly = await startBrokenCalendly();
const services = {
    main: new ServiceProcess(binary, webRoot, { ...generous, API_ADMIN_TOKEN: adminToken, CALENDLY_WEBHOOK_SECRET: webhookSecret,
                                                OPENAI_WEBHOOK_SECRET: openAiWebhookSecret }),
    limits: new ServiceProcess(binary, webRoot, {
        DAILY_LINK_LIMIT: '0', DAILY_BOOKING_LIMIT: '0',
        PUBLIC_READ_RATE_LIMIT_PER_MINUTE: '1', PUBLIC_READ_RATE_LIMIT_BURST: '2',
        PUBLIC_RATE_LIMIT_PER_MINUTE: '1', PUBLIC_RATE_LIMIT_BURST: '2',
        TRUSTED_PROXIES: '127.0.0.1/32',
        REALTIME_MAX_SESSIONS: '1', REALTIME_MAX_SESSIONS_PER_ADDRESS: '1', REALTIME_CONNECTIONS_PER_MINUTE: '1',
    }),
    team: new ServiceProcess(binary, webRoot, { ...generous, SANDBOX_ORGANIZATION: 'true' }),
    crowded: new ServiceProcess(binary, webRoot, { MAX_CONNECTIONS: '2', MAX_CONNECTIONS_PER_ADDRESS: '1',
                                                   HEADER_TIMEOUT_MS: '30000', KEEPALIVE_TIMEOUT_MS: '30000',
                                                   KEEPALIVE_TIMEOUT_BUSY_MS: '30000' }),
    offline: new ServiceProcess(binary, webRoot, {
        API_ADMIN_TOKEN: adminToken, METRICS_TOKEN: metricsToken, METRICS_ALLOW: '192.0.2.0/24',
        CALENDLY_API_KEY: 'token-of-the-test-calendly', CALENDLY_API_BASE_URL: brokenCalendly.url,
        CALENDLY_USER_URI: `${brokenCalendly.url}/users/TEST-HOST`,
        CALENDLY_FALLBACK_URL: 'https://calendly.com/test-host',
        CALENDLY_TIMEOUT_MS: '300', CALENDLY_DEADLINE_MS: '2000', CALENDLY_MAX_ATTEMPTS: '1',
    }),
};
// Stopped by ctest's timeout, ^C or a failed check: no service may outlive the test.
process.on('exit', () => Object.values(services).forEach((service) => service.kill()));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));

try {
    await Promise.all(Object.values(services).map(async (service) => {
        service.port = await service.start(WAIT_MS);
    }));
} catch (error) {
    run.fail('starting the service', null, null, error.message);
}
const context = { ...services, admin: { Authorization: `Bearer ${adminToken}` }, webhookSecret, openAiWebhookSecret, metricsToken };

const eventTypes = await scenarios.calendlyReads(run, context);
await scenarios.calendlyActions(run, context, eventTypes);
await scenarios.webhooks(run, context);
await scenarios.openAiWebhook(run, context);
await scenarios.operationsAndPage(run, context);
await scenarios.relay(run, context);
await scenarios.organization(run, context);
await scenarios.routing(run, context, contract);
await scenarios.limits(run, context);
await scenarios.connectionLimits(run, context);
await scenarios.calendlyFailures(run, context);

// Last, so that everything else has been seen when the served copy is stale.
await run.check(services.main, { target: '/api/openapi.json', status: 200,
    expect: (_, json) => {
        if (!isDeepStrictEqual(json, contract.document)) {
            throw new Error('GET /api/openapi.json is not docs/openapi.yaml (rebuild the service after changing the document)');
        }
    } });

const unexercised = contract.unexercised();
if (unexercised.length) {
    console.log(`# documented answers no request of this run provoked (${unexercised.length}): ${unexercised.join(', ')}`);
}
await Promise.all(Object.values(services).map((service) => service.stop()));
brokenCalendly.stop();
console.log(`openapi: ${run.passed} passed, 0 failed`);
