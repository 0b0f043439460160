// A Calendly API that fails in the ways the service has answers for, on 127.0.0.1: GET /users/me
// answers 503 (the service's 502 calendly_unavailable, and /readyz not ready), /scheduled_events
// answers 401 (502 calendly_auth_failed), /event_types never answers (504 calendly_timeout once
// CALENDLY_TIMEOUT_MS has passed).
import http from 'node:http';

export async function startBrokenCalendly() {
    const held = new Set();
    const server = http.createServer((request, response) => {
        const path = new URL(request.url, 'http://calendly').pathname;
        const answer = (status, title, message) => {
            response.writeHead(status, { 'Content-Type': 'application/json' });
            response.end(JSON.stringify({ title, message }));
        };
        if (path === '/users/me') answer(503, 'Service Unavailable', 'the test Calendly is down');
        else if (path.startsWith('/scheduled_events')) answer(401, 'Unauthenticated', 'The access token is invalid');
        else if (path.startsWith('/event_types')) held.add(response); // no answer
        else answer(404, 'Resource Not Found', 'no such resource in the test Calendly');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        url: `http://127.0.0.1:${server.address().port}`,
        stop() {
            for (const response of held) response.destroy();
            server.closeAllConnections();
            server.close();
        },
    };
}
