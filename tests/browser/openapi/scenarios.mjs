// Every documented request, and the error cases, grouped by route. Each group takes the runner
// and the services ({ main, limits, crowded }, each a started ServiceProcess with its port) and
// sends its requests in an order that makes every answer deterministic.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { calendlySignature, exchange, openAiWebhookHeaders } from './wire.mjs';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function fail(message) {
    throw new Error(message);
}

// RFC 3339 in UTC, whole seconds, `days` from today's UTC midnight.
function midnight(days) {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days))
        .toISOString()
        .replace('.000Z', 'Z');
}

function query(params) {
    return `/api/calendly?${new URLSearchParams(params)}`;
}

function post(body, headers = {}) {
    return { method: 'POST', target: '/api/calendly', headers: { ...JSON_TYPE, ...headers },
             body: typeof body === 'string' ? body : JSON.stringify(body) };
}

// JSON nested one level deeper than the service takes (64).
function tooDeep(inner = '1') {
    return `${'['.repeat(65)}${inner}${']'.repeat(65)}`;
}

export async function calendlyReads(run, { main, admin }) {
    const types = await run.check(main, { target: query({ action: 'event-types' }), status: 200, schema: 'EventTypesResponse',
        expect: (_, json) => json.event_types.length > 0 || fail('no event types') });
    await run.check(main, { target: query({ action: 'event-types' }), headers: admin, note: 'admin', status: 200,
                            schema: 'EventTypesResponse' });
    const eventType = types.json.event_types[0];
    const uuid = eventType.uri.split('/').pop();
    // One host outside organization mode: a directory of one, who answers to their own slug.
    const hosts = await run.check(main, { target: query({ action: 'hosts' }), status: 200, schema: 'HostsResponse',
        expect: (_, json) => (json.hosts.length === 1 && json.team_event_types.length === 0) || fail('not a directory of one') });
    await run.check(main, { target: query({ action: 'event-types', host: hosts.json.hosts[0].slug }), note: 'its one host',
                            status: 200, schema: 'EventTypesResponse' });
    await run.check(main, { target: query({ action: 'event-types', host: 'nobody' }), status: 404, code: 'host_not_found' });
    await run.check(main, { target: query({ action: 'event-types', team: 'sales' }), note: 'no teams', status: 404,
                            code: 'team_not_found' });
    await run.check(main, { target: '/hosts/alex-rivera', note: 'not organization mode', status: 404, code: 'not_found' });
    await run.check(main, { target: query({ action: 'event-info', uuid }), status: 200, schema: 'EventInfoResponse' });
    await run.check(main, { target: query({ action: 'event-info', uri: eventType.uri }), status: 200, schema: 'EventInfoResponse' });
    const range = { event_type: eventType.uri, start_time: midnight(1), end_time: midnight(4) };
    await run.check(main, { target: query({ action: 'availability', ...range, timezone: 'Europe/Berlin' }), status: 200,
        schema: 'AvailabilityResponse',
        expect: (_, json) => (json.timezone === 'Europe/Berlin' && json.available_times.length > 0 &&
                              json.available_times.every((slot) => slot.local_start_time)) || fail('no local times') });
    await run.check(main, { target: query({ action: 'availability', ...range, event_type: uuid }), status: 200,
        schema: 'AvailabilityResponse', expect: (_, json) => !('timezone' in json) || fail('timezone without asking') });
    await run.check(main, { target: query({ action: 'user' }), headers: admin, status: 200, schema: 'UserResponse' });
    await run.check(main, { target: query({ action: 'scheduled-events' }), headers: admin, status: 200,
                            schema: 'ScheduledEventsResponse' });
    await run.check(main, { target: query({ action: 'scheduled-events', status: 'active', min_start_time: midnight(-30),
                                            max_start_time: midnight(60), invitee_email: 'someone@example.com' }),
                            headers: admin, status: 200, schema: 'ScheduledEventsResponse' });

    const bad = (params, status, code, extra = {}) =>
        run.check(main, { target: query(params), status, code, invalid: true, ...extra });
    await run.check(main, { target: '/api/calendly', status: 400, code: 'missing_action', invalid: true });
    await bad({ action: 'nope' }, 400, 'unknown_action');
    await bad({ action: 'event-types', foo: '1' }, 400, 'unknown_field');
    await run.check(main, { target: query({ action: 'event-info' }), status: 400, code: 'missing_field' });
    await run.check(main, { target: query({ action: 'event-info', uuid, uri: eventType.uri }), status: 400, code: 'missing_field' });
    await run.check(main, { target: query({ action: 'event-info', uuid: 'not an id!' }), status: 400, code: 'invalid_id' });
    await run.check(main, { target: query({ action: 'event-info', uuid: '00000000-0000-0000-0000-000000000000' }),
                            status: 404, code: 'event_type_not_found' });
    await run.check(main, { target: query({ action: 'availability', start_time: midnight(1), end_time: midnight(2) }),
                            status: 400, code: 'missing_field' });
    await bad({ action: 'availability', ...range, start_time: 'tomorrow' }, 400, 'invalid_time');
    await run.check(main, { target: query({ action: 'availability', ...range, end_time: midnight(0) }), status: 400,
                            code: 'invalid_time_range' });
    await run.check(main, { target: query({ action: 'availability', ...range, end_time: midnight(90) }), status: 400,
                            code: 'time_range_too_long' });
    await run.check(main, { target: query({ action: 'availability', ...range, timezone: 'Mars/Olympus_Mons' }), status: 400,
                            code: 'invalid_timezone' });
    await bad({ action: 'scheduled-events', status: 'done' }, 400, 'invalid_status', { headers: admin });
    await run.check(main, { target: query({ action: 'scheduled-events', invitee_email: 'nobody' }), headers: admin,
                            status: 400, code: 'invalid_email' });
    await run.check(main, { target: query({ action: 'scheduled-events', min_start_time: midnight(2), max_start_time: midnight(1) }),
                            headers: admin, status: 400, code: 'invalid_time_range' });
    await run.check(main, { target: query({ action: 'user' }), status: 401, code: 'admin_token_required', invalid: true });
    await run.check(main, { target: query({ action: 'user' }), headers: { Authorization: 'Bearer wrong-token' }, status: 403,
                            code: 'admin_token_invalid' });
    await bad({ action: 'create-link' }, 405, 'method_not_allowed', { allow: ['POST'] });
    return types.json.event_types;
}

export async function calendlyActions(run, { main, admin }, eventTypes) {
    const [first, second] = eventTypes;
    const person = { name: 'Ada Lovelace', email: 'ada@example.com' };
    await run.check(main, { ...post({ action: 'create-link', ...person, purpose: 'Intro call' }), status: 200,
        schema: 'CreateLinkResponse',
        expect: (_, json) => (json.fallback === false && json.booking_url.includes('name=Ada')) || fail('not a prefilled link') });
    await run.check(main, { ...post({ action: 'create-link', ...person, event_type: second.uri.split('/').pop() }), status: 200,
        schema: 'CreateLinkResponse', expect: (_, json) => json.event_type.uri === second.uri || fail('another event type') });

    const slots = await run.check(main, { target: query({ action: 'availability', event_type: second.uri, start_time: midnight(1),
                                                          end_time: midnight(4) }), status: 200, schema: 'AvailabilityResponse' });
    const booking = { action: 'book', event_type: second.uri, start_time: slots.json.available_times[0].start_time, ...person,
                      timezone: 'Europe/London' };
    await run.check(main, { ...post(booking), status: 200, schema: 'BookResponse',
        expect: (_, json) => json.invitee.email === person.email || fail('someone else booked') });
    await run.check(main, { ...post(booking), note: 'the same slot again', status: 502, code: 'calendly_rejected',
        expect: (_, json) => json.error.details?.length > 0 || fail('no details from Calendly') });

    const events = await run.check(main, { target: query({ action: 'scheduled-events', status: 'active' }), headers: admin,
                                           status: 200, schema: 'ScheduledEventsResponse' });
    const event = events.json.scheduled_events.at(-1) ?? fail('no active scheduled event to cancel');
    const cancel = { action: 'cancel', uuid: event.uri, reason: 'Host unavailable' };
    await run.check(main, { ...post(cancel, admin), status: 200, schema: 'CancelResponse' });
    await run.check(main, { ...post(cancel, admin), note: 'already canceled', status: 409, code: 'event_not_cancelable' });

    const invalid = (body, status, code, extra = {}) => run.check(main, { ...post(body), status, code, invalid: true, ...extra });
    await invalid('{"action":"create-link"', 400, 'invalid_json');
    await invalid('[1]', 400, 'invalid_json');
    await invalid(tooDeep(), 400, 'too_deeply_nested');
    await invalid({ action: 'create-link', name: 1, email: person.email }, 400, 'invalid_field');
    await invalid({ name: 'Ada' }, 400, 'missing_action');
    await invalid({ action: 'nope' }, 400, 'unknown_action');
    await invalid({ action: 'create-link', ...person, x: '1' }, 400, 'unknown_field');
    await invalid({ action: 'create-link', name: 'Ada' }, 400, 'missing_field');
    await invalid({ action: 'create-link', ...person, name: '' }, 400, 'missing_field');
    await invalid({ action: 'create-link', ...person, name: 'A'.repeat(201) }, 400, 'invalid_name');
    await invalid({ action: 'create-link', ...person, email: 'ada@example' }, 400, 'invalid_email');
    await run.check(main, { ...post({ action: 'create-link', ...person, event_type: 'not an id!' }), status: 400, code: 'invalid_id' });
    await run.check(main, { ...post({ action: 'create-link', ...person, event_type: '00000000-0000-0000-0000-000000000000' }),
                            status: 404, code: 'event_type_not_found' });
    await run.check(main, { ...post({ ...booking, start_time: '2020-01-01T09:00:00Z' }), status: 400, code: 'start_time_in_past' });
    await invalid({ ...booking, start_time: 'soon' }, 400, 'invalid_time');
    await run.check(main, { ...post({ ...booking, timezone: 'Mars/Olympus_Mons' }), status: 400, code: 'invalid_timezone' });
    await run.check(main, { ...post({ ...booking, event_type: first.uri, start_time: midnight(400) }), note: 'no such slot',
                            status: 502, code: 'calendly_rejected' });
    await run.check(main, { ...post({ ...cancel, uuid: 'not an id!' }, admin), status: 400, code: 'invalid_id' });
    await run.check(main, { ...post({ ...cancel, uuid: '00000000-0000-0000-0000-000000000000' }, admin), status: 404,
                            code: 'scheduled_event_not_found' });
    await run.check(main, { ...post(cancel), status: 401, code: 'admin_token_required' });
    await run.check(main, { ...post(cancel, { Authorization: 'Bearer wrong-token' }), status: 403, code: 'admin_token_invalid' });
    await invalid({ action: 'event-types' }, 405, 'method_not_allowed', { allow: ['GET'] });
    await run.check(main, { ...post(booking), headers: { 'Content-Type': 'text/plain' }, status: 415,
                            code: 'unsupported_media_type', invalid: true });
    await run.check(main, { ...post(booking), headers: {}, note: 'no Content-Type', status: 415, code: 'unsupported_media_type',
                            invalid: true });
    await invalid({ action: 'create-link', ...person, purpose: 'x'.repeat(70_000) }, 413, 'payload_too_large');
}

export async function webhooks(run, { main, admin, webhookSecret }) {
    const started = new Date(Date.now() - 1000).toISOString();
    const deliver = (body, signature, extra = {}) => ({
        method: 'POST', target: '/api/calendly/webhook', body,
        headers: { ...JSON_TYPE, ...(signature === undefined ? {} : { 'Calendly-Webhook-Signature': signature }) },
        ...extra,
    });
    const envelope = (event, payload) => JSON.stringify({ event, created_at: new Date().toISOString(),
                                                         created_by: 'https://api.calendly.com/users/TEST', payload });
    const created = envelope('invitee.created', { uri: `https://api.calendly.com/scheduled_events/${randomUUID()}/invitees/${randomUUID()}` });
    await run.check(main, { ...deliver(created, calendlySignature(webhookSecret, created)), status: 200, schema: 'WebhookReceipt',
                            expect: (_, json) => json.duplicate === false || fail('a new delivery seen as a duplicate') });
    await run.check(main, { ...deliver(created, calendlySignature(webhookSecret, created)), note: 'redelivery', status: 200,
                            expect: (_, json) => json.duplicate === true || fail('a redelivery stored again') });
    const unknown = envelope('calrt_test.unknown_event', { note: 'stored too' });
    await run.check(main, { ...deliver(unknown, calendlySignature(webhookSecret, unknown)), note: 'unknown event', status: 200 });
    const stale = Math.floor(Date.now() / 1000) - 1000;
    await run.check(main, { ...deliver(created, calendlySignature(webhookSecret, created, stale)), note: 'signed 1000 s ago',
                            status: 401, code: 'stale_webhook_signature' });
    await run.check(main, { ...deliver(created, calendlySignature('another key', created)), note: 'another key', status: 401,
                            code: 'webhook_signature_mismatch' });
    await run.check(main, { ...deliver(created, 'garbage'), status: 401, code: 'malformed_webhook_signature' });
    await run.check(main, { ...deliver(created), status: 401, code: 'missing_webhook_signature', invalid: true });
    for (const [body, code] of [['not json', 'invalid_json'], [JSON.stringify({ event: 'x' }), 'invalid_webhook_envelope'],
                                [tooDeep(), 'too_deeply_nested']]) {
        await run.check(main, { ...deliver(body, calendlySignature(webhookSecret, body)), status: 400, code, invalid: true });
    }
    await run.check(main, { ...deliver(created, calendlySignature(webhookSecret, created)), headers: { 'Content-Type': 'text/plain' },
                            status: 415, code: 'unsupported_media_type', invalid: true });
    const huge = 'x'.repeat(1024 * 1024 + 1);
    await run.check(main, { ...deliver(huge, calendlySignature(webhookSecret, huge)), note: '1 MiB + 1 byte', status: 413,
                            code: 'payload_too_large', invalid: true });

    const list = (params, extra = {}) => {
        const search = new URLSearchParams(params).toString();
        return { target: `/api/calendly/webhook/events${search ? `?${search}` : ''}`, headers: admin, ...extra };
    };
    await run.check(main, { ...list({}), status: 200, schema: 'WebhookEventPage',
                            expect: (_, json) => json.events.length >= 2 || fail('the deliveries are not listed') });
    const page = await run.check(main, { ...list({ limit: '1' }), status: 200,
                                         expect: (_, json) => json.next_cursor || fail('no next_cursor with more left') });
    await run.check(main, { ...list({ limit: '1', cursor: page.json.next_cursor }), note: 'next page', status: 200,
                            expect: (_, json) => json.events[0].id < page.json.events[0].id || fail('not older') });
    await run.check(main, { ...list({ event: 'invitee.created', since: started }), status: 200,
        expect: (_, json) => (json.events.length > 0 && json.events.every((e) => e.event === 'invitee.created')) || fail('filter') });
    await run.check(main, { ...list({ limit: '0' }), status: 400, code: 'invalid_limit', invalid: true });
    await run.check(main, { ...list({ limit: 'ten' }), status: 400, code: 'invalid_limit', invalid: true });
    await run.check(main, { ...list({ since: 'yesterday' }), status: 400, code: 'invalid_time', invalid: true });
    await run.check(main, { ...list({ cursor: 'zz' }), status: 400, code: 'invalid_cursor' });
    await run.check(main, { ...list({ foo: '1' }), status: 400, code: 'unknown_field', invalid: true });
    await run.check(main, { ...list({}), headers: {}, status: 401, code: 'admin_token_required' });
    await run.check(main, { ...list({}), headers: { Authorization: 'Bearer wrong-token' }, status: 403, code: 'admin_token_invalid' });

    // The self-service audit log: empty in a fresh sandbox, its answers all the same.
    const changes = (params, extra = {}) => {
        const search = new URLSearchParams(params).toString();
        return { target: `/api/calendly/self-service/changes${search ? `?${search}` : ''}`, headers: admin, ...extra };
    };
    await run.check(main, { ...changes({}), status: 200, schema: 'SelfServiceChangePage' });
    await run.check(main, { ...changes({ email: 'ada@example.com', since: started, limit: '10' }), status: 200,
                            schema: 'SelfServiceChangePage' });
    await run.check(main, { ...changes({ limit: '501' }), status: 400, code: 'invalid_limit', invalid: true });
    await run.check(main, { ...changes({ since: 'yesterday' }), status: 400, code: 'invalid_time', invalid: true });
    await run.check(main, { ...changes({ email: 'not-an-address' }), status: 400, code: 'invalid_email', invalid: true });
    await run.check(main, { ...changes({ cursor: 'zz' }), status: 400, code: 'invalid_cursor' });
    await run.check(main, { ...changes({ event: 'invitee.created' }), status: 400, code: 'unknown_field', invalid: true });
    await run.check(main, { ...changes({}), headers: {}, status: 401, code: 'admin_token_required' });
    await run.check(main, { ...changes({}), headers: { Authorization: 'Bearer wrong-token' }, status: 403, code: 'admin_token_invalid' });
}

// OpenAI's webhook for phone calls: `main` has OPENAI_WEBHOOK_SECRET, `limits` has none. A call
// announced here is accepted through the sandbox's fake OpenAI, which does not know it (the
// answer comes first either way).
export async function openAiWebhook(run, { main, limits, openAiWebhookSecret }) {
    const deliver = (body, headers, extra = {}) => ({ method: 'POST', target: '/api/openai/webhook', body,
                                                      headers: { ...JSON_TYPE, ...headers }, ...extra });
    const signed = (body, id = `wh_${randomUUID().replaceAll('-', '')}`, t) =>
        openAiWebhookHeaders(openAiWebhookSecret, body, id, t);
    const callEvent = (callId) => JSON.stringify({
        id: `evt_${randomUUID().replaceAll('-', '')}`, object: 'event', type: 'realtime.call.incoming',
        created_at: Math.floor(Date.now() / 1000),
        data: { call_id: callId, sip_headers: [{ name: 'From', value: '<sip:+14155550123@example.com>;tag=1' }] } });
    const outcome = (expected) => (_, json) => json.outcome === expected || fail(`expected ${expected}, got ${json.outcome}`);

    const call = callEvent(`rtc_${randomUUID().replaceAll('-', '')}`);
    const first = signed(call);
    await run.check(main, { ...deliver(call, first), status: 200, schema: 'OpenAiWebhookReceipt', expect: outcome('answering') });
    await run.check(main, { ...deliver(call, first), note: 'retried', status: 200, expect: outcome('duplicate') });
    await run.check(main, { ...deliver(call, signed(call)), note: 'same call, another webhook-id', status: 200,
                            expect: outcome('duplicate') });
    const other = JSON.stringify({ id: 'evt_other', object: 'event', type: 'response.completed', created_at: 1, data: { id: 'resp_1' } });
    await run.check(main, { ...deliver(other, signed(other)), status: 200, expect: outcome('ignored') });
    const stale = Math.floor(Date.now() / 1000) - 1000;
    await run.check(main, { ...deliver(other, signed(other, undefined, stale)), note: 'signed 1000 s ago', status: 401,
                            code: 'stale_webhook_signature' });
    await run.check(main, { ...deliver(other, openAiWebhookHeaders(`whsec_${randomBytes(32).toString('base64')}`, other, 'wh_x')),
                            note: 'another secret', status: 401, code: 'webhook_signature_mismatch' });
    await run.check(main, { ...deliver(other, { ...signed(other), 'webhook-signature': 'garbage' }), status: 401,
                            code: 'malformed_webhook_signature' });
    await run.check(main, { ...deliver(other, {}), status: 401, code: 'missing_webhook_header', invalid: true });
    await run.check(main, { ...deliver('[1,2]', signed('[1,2]')), status: 400, code: 'malformed_event', invalid: true });
    const noCallId = JSON.stringify({ type: 'realtime.call.incoming', data: {} });
    await run.check(main, { ...deliver(noCallId, signed(noCallId)), status: 400, code: 'malformed_call_event' });
    await run.check(main, { ...deliver(other, signed(other), { headers: { ...signed(other), 'Content-Type': 'text/plain' } }),
                            status: 415, code: 'unsupported_media_type', invalid: true });
    const huge = 'x'.repeat(64 * 1024 + 1);
    await run.check(main, { ...deliver(huge, signed(huge)), note: '64 KiB + 1 byte', status: 413, code: 'payload_too_large',
                            invalid: true });
    await run.check(limits, { ...deliver(other, signed(other)), note: 'no OPENAI_WEBHOOK_SECRET', status: 503,
                              code: 'phone_not_configured' });
}

export async function operationsAndPage(run, { main, limits, offline, metricsToken }) {
    await run.check(main, { target: '/healthz', status: 200, schema: 'Health' });
    await run.check(main, { method: 'HEAD', target: '/healthz', status: 200 });
    await run.check(main, { target: '/healthz', headers: { 'X-Request-Id': 'client-chosen.id:1' }, note: 'own request id',
        status: 200, expect: (a) => a.headers['x-request-id'] === 'client-chosen.id:1' || fail('the request id was not kept') });
    await run.check(main, { target: '/readyz', status: 200, schema: 'Ready' });
    await run.check(main, { target: '/metrics', status: 200,
                            expect: (a) => a.body.includes('# TYPE http_requests_total counter') || fail('no request counter') });
    // Who may read /metrics: `limits` trusts 127.0.0.1 as a proxy, so X-Forwarded-For names a client
    // outside the default METRICS_ALLOW; `offline` has a METRICS_TOKEN and a METRICS_ALLOW without loopback.
    await run.check(limits, { target: '/metrics', headers: { 'X-Forwarded-For': '203.0.113.7' }, note: 'a client elsewhere',
                              status: 403, code: 'metrics_forbidden' });
    await run.check(offline, { target: '/metrics', note: 'no token', status: 401, code: 'metrics_token_required' });
    await run.check(offline, { target: '/metrics', headers: { Authorization: 'Bearer wrong-token' }, note: 'a wrong token',
                               status: 401, code: 'metrics_token_invalid' });
    await run.check(offline, { target: '/metrics', headers: { Authorization: `Bearer ${metricsToken}` }, note: 'the token',
                               status: 200 });
    await run.check(main, { target: '/healthz', headers: { 'Content-Type': 'text/plain' }, body: 'hi', note: 'a body',
                            status: 415, code: 'unsupported_media_type', invalid: true });
    await run.check(main, { target: '/', status: 200 });
    await run.check(main, { method: 'HEAD', target: '/', status: 200 });
    await run.check(main, { target: '/app.js', status: 200 });
    await run.check(main, { target: '/nope.html', status: 404, code: 'not_found' });
}

export async function relay(run, { main }) {
    const upgrade = (extra = {}) => ({ Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
                                       'Sec-WebSocket-Key': randomBytes(16).toString('base64'), ...extra });
    const accepted = (headers) => (answer) => {
        const expected = createHash('sha1').update(headers['Sec-WebSocket-Key'] + WEBSOCKET_GUID).digest('base64');
        if (answer.headers['sec-websocket-accept'] !== expected) fail('Sec-WebSocket-Accept does not match the key');
    };
    for (const [note, extra] of [['no Origin', {}], ['own Origin', { Origin: `http://127.0.0.1:${main.port}` }]]) {
        const headers = upgrade(extra);
        await run.check(main, { target: '/api/realtime', headers, note, status: 101, expect: accepted(headers) });
    }
    await run.check(main, { target: '/api/realtime', headers: upgrade({ Origin: 'http://evil.example' }), status: 403,
                            code: 'origin_not_allowed' });
    const noKey = upgrade();
    delete noKey['Sec-WebSocket-Key'];
    await run.check(main, { target: '/api/realtime', headers: noKey, note: 'no key', status: 400, invalid: true });
    await run.check(main, { target: '/api/realtime', headers: upgrade({ 'Sec-WebSocket-Version': '8' }), status: 426, invalid: true });
    await run.check(main, { target: '/api/realtime', note: 'not an upgrade', status: 404, code: 'not_found', invalid: true });
}

// Organization mode: `team` runs the sandbox organization (SANDBOX_ORGANIZATION: four hosts, the
// round robin "Sales demo" of team Sales and the collective "Panel interview" of Recruiting).
export async function organization(run, { team }) {
    const directory = await run.check(team, { target: query({ action: 'hosts' }), status: 200, schema: 'HostsResponse',
        expect: (_, json) => (json.hosts.length === 4 && json.team_event_types.length === 2 &&
                              json.hosts.every((host) => !('email' in host))) || fail('not the sandbox organization') });
    const dana = directory.json.hosts.find((host) => host.slug === 'dana-whitfield') ?? fail('no Dana Whitfield');
    await run.check(team, { target: query({ action: 'event-types', host: dana.slug }), status: 200, schema: 'EventTypesResponse',
        expect: (_, json) => json.event_types.length === dana.event_types.length || fail('not her types') });
    await run.check(team, { target: query({ action: 'event-types', team: 'sales' }), status: 200, schema: 'EventTypesResponse',
        expect: (_, json) => (json.event_types.length === 1 && json.event_types[0].pooling_type === 'round_robin') ||
                             fail('not the Sales round robin') });
    await run.check(team, { target: query({ action: 'event-types', host: 'nobody' }), status: 404, code: 'host_not_found' });
    await run.check(team, { target: query({ action: 'event-types', team: 'nobody' }), status: 404, code: 'team_not_found' });
    const panel = directory.json.team_event_types.find((type) => type.pooling_type === 'collective') ?? fail('no collective type');
    await run.check(team, { target: query({ action: 'event-info', uri: panel.uri }), note: 'a team type', status: 200,
                            schema: 'EventInfoResponse' });
    await run.check(team, { target: `/hosts/${dana.slug}`, status: 200 });
    await run.check(team, { method: 'HEAD', target: `/hosts/${dana.slug}`, status: 200 });
    await run.check(team, { target: '/hosts/nobody', status: 404,
        expect: (a) => a.body.includes('No such host') || fail('not the HTML page') });
    const upgrade = () => ({ Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
                             'Sec-WebSocket-Key': randomBytes(16).toString('base64') });
    await run.check(team, { target: '/api/realtime?host=nobody', headers: upgrade(), status: 404, code: 'host_not_found' });
    await run.check(team, { target: '/api/realtime?team=nobody', headers: upgrade(), status: 404, code: 'team_not_found' });
    await run.check(team, { target: `/api/realtime?host=${dana.slug}`, headers: upgrade(), note: 'one host', status: 101 });
    await run.check(team, { target: '/api/realtime?team=recruiting', headers: upgrade(), note: 'one team', status: 101 });
}

// 405 on every API path for a method it does not list, 404 off the document's paths, and the
// answers before routing.
export async function routing(run, { main }, contract) {
    // Not routes of the router (and /hosts/{slug} only in organization mode): other methods are 404.
    const pagePaths = ['/', '/{file}', '/api/realtime', '/hosts/{slug}'];
    for (const [template, item] of Object.entries(contract.document.paths)) {
        if (pagePaths.includes(template)) continue;
        const methods = Object.keys(item).filter((key) => ['get', 'post'].includes(key)).map((m) => m.toUpperCase());
        const allow = methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
        const method = methods.includes('POST') ? 'PUT' : 'POST';
        await run.check(main, { method, target: template, body: '', status: 405, code: 'method_not_allowed',
                                response: 'MethodNotAllowed', allow });
    }
    await run.check(main, { method: 'POST', target: '/nope', body: '', status: 404, code: 'not_found', response: 'NotFound' });
    await run.check(main, { target: '/deeper/nope.js', status: 404, code: 'not_found', response: 'NotFound' });
    const host = `Host: 127.0.0.1:${main.port}`;
    await run.check(main, { method: 'FOO', target: '/healthz', rawHead: `FOO /healthz HTTP/1.1\r\n${host}\r\n\r\n`,
                            status: 501, code: 'method_not_implemented', response: 'MethodNotImplemented' });
    await run.check(main, { method: 'POST', target: '/api/calendly', note: 'Transfer-Encoding: gzip, chunked',
                            rawHead: `POST /api/calendly HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
                            status: 400, code: 'bad_request', response: 'MalformedRequest' });
    await run.check(main, { target: 'http//not-a-target', rawHead: `GET http//not-a-target HTTP/1.1\r\n${host}\r\n\r\n`,
                            status: 400, code: 'bad_request', response: 'MalformedRequest' });
    await run.check(main, { target: '/healthz', headers: { 'X-Padding': 'a'.repeat(20_000) }, note: '20 kB header', status: 431,
                            code: 'header_too_large', response: 'HeaderTooLarge' });
}

// A service without an admin token, with no daily budget left, and tight per-address limits.
export async function limits(run, { limits: service }) {
    const types = await run.check(service, { target: query({ action: 'event-types' }), status: 200 });
    const eventType = types.json.event_types[0].uri;
    await run.check(service, { target: query({ action: 'event-info', uri: eventType }), status: 200 });
    await run.check(service, { target: query({ action: 'event-types' }), note: 'third read at burst 2', status: 429,
                               code: 'rate_limited' });
    await run.check(service, { ...post({ action: 'create-link', name: 'Ada Lovelace', email: 'ada@example.com' }),
                               note: 'daily link budget used up', status: 200, schema: 'CreateLinkResponse',
                               expect: (_, json) => json.fallback === true || fail('a link past the budget') });
    await run.check(service, { ...post({ action: 'book', event_type: eventType, start_time: midnight(2), name: 'Ada Lovelace',
                                         email: 'ada@example.com', timezone: 'UTC' }),
                               status: 429, code: 'daily_booking_limit_reached' });
    await run.check(service, { ...post({ action: 'create-link', name: 'Ada Lovelace', email: 'ada@example.com' }),
                               note: 'third at burst 2', status: 429, code: 'rate_limited' });
    const admin = { Authorization: 'Bearer anything' };
    await run.check(service, { target: query({ action: 'user' }), headers: admin, status: 503, code: 'admin_not_configured' });
    await run.check(service, { ...post({ action: 'cancel', uuid: '00000000-0000-0000-0000-000000000000' }, admin), status: 503,
                               code: 'admin_not_configured' });
    await run.check(service, { target: '/api/calendly/webhook/events', headers: admin, status: 503, code: 'admin_not_configured' });
    await run.check(service, { target: '/api/calendly/self-service/changes', headers: admin, status: 503,
                               code: 'admin_not_configured' });

    // The relay, one session at most, per address and in all; addresses come from X-Forwarded-For
    // (the service trusts 127.0.0.1 as a proxy).
    const upgrade = (client) => ({ Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
                                   'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'X-Forwarded-For': client });
    const open = await run.check(service, { target: '/api/realtime', headers: upgrade('192.0.2.1'), keepOpen: true,
                                            note: 'from 192.0.2.1', status: 101 });
    try {
        await run.check(service, { target: '/api/realtime', headers: upgrade('192.0.2.1'), note: 'second from 192.0.2.1',
                                   status: 429, code: 'too_many_sessions' });
        await run.check(service, { target: '/api/realtime', headers: upgrade('192.0.2.2'), note: 'from 192.0.2.2, one open',
                                   status: 503, code: 'relay_busy' });
        await run.check(service, { target: '/api/realtime', headers: upgrade('192.0.2.2'), note: 'second from 192.0.2.2 this minute',
                                   status: 429, code: 'rate_limited' });
    } finally {
        open.socket.destroy();
    }
}

// A service that takes two connections, one per address.
export async function connectionLimits(run, { crowded: service }) {
    const held = [];
    try {
        const hold = async (localAddress) => {
            const answer = await exchange(service.port, { target: '/healthz', headers: { Connection: 'keep-alive' }, localAddress,
                                                          keepOpen: true });
            if (answer.status !== 200) fail(`holding a connection from ${localAddress}: ${answer.status}`);
            held.push(answer.socket);
        };
        await hold('127.0.0.1');
        await run.check(service, { target: '/healthz', note: 'second connection from 127.0.0.1', status: 429,
                                   code: 'too_many_connections', response: 'TooManyConnectionsFromAddress' });
        await hold('127.0.0.2');
        await run.check(service, { target: '/healthz', localAddress: '127.0.0.3', note: 'third connection', status: 503,
                                   code: 'too_many_connections', response: 'TooManyConnections' });
    } finally {
        for (const socket of held) socket.destroy();
    }
}

// A service whose Calendly fails (broken_calendly.mjs), with a fallback booking page.
export async function calendlyFailures(run, { offline: service, admin }) {
    await run.check(service, { target: '/readyz', status: 503, code: 'not_ready', schema: 'NotReady' });
    await run.check(service, { target: query({ action: 'user' }), headers: admin, note: 'Calendly answers 503', status: 502,
                               code: 'calendly_unavailable' });
    await run.check(service, { target: query({ action: 'scheduled-events' }), headers: admin, note: 'Calendly answers 401',
                               status: 502, code: 'calendly_auth_failed' });
    await run.check(service, { target: query({ action: 'event-types' }), note: 'Calendly does not answer', status: 504,
                               code: 'calendly_timeout' });
    await run.check(service, { ...post({ action: 'create-link', name: 'Ada Lovelace', email: 'ada@example.com' }),
                               note: 'Calendly does not answer', status: 200, schema: 'CreateLinkResponse',
                               expect: (_, json) => (json.fallback === true && json.event_type === null) || fail('not the fallback') });
    await run.check(service, { ...post({ action: 'book', event_type: '00000000-0000-0000-0000-000000000000', start_time: midnight(2),
                                         name: 'Ada Lovelace', email: 'ada@example.com', timezone: 'UTC' }),
                               note: 'Calendly does not answer', status: 504, code: 'calendly_timeout' });
}
