// The page's WebSocket to the service's assistant relay (GET /api/realtime, same origin). Events
// are OpenAI Realtime (GA) events as JSON text, both ways; the service holds the API key, runs the
// tools, and only forwards the browser events it allows.
//
// Dispatches:
//   'status' detail { state: 'connecting' | 'connected' | 'closed', message?, code?, refused? }
//     (refused: the connection never opened)
//   'server-event' detail: one parsed server event

// What each close code from the service means (src/server/relay_session.cpp); the service's own
// reason text is shown when it sends one.
const CLOSE_MESSAGES = {
    1000: 'the session ended',
    1001: 'server shutting down',
    1008: 'the session reached one of its limits',
    1009: 'a message was too large for the service',
    1011: 'the assistant is unavailable',
};

// The host or team the page is for (organization mode): /hosts/<slug>, or ?host= / ?team= on the
// page's URL. The service checks it and refuses an unknown one.
export function pageScope(location) {
    const scope = {};
    const match = /^\/hosts\/([^/]+)\/?$/.exec(location.pathname);
    const params = new URLSearchParams(location.search);
    const host = match ? decodeURIComponent(match[1]) : params.get('host');
    const team = params.get('team');
    if (host) scope.host = host;
    if (team) scope.team = team;
    return scope;
}

// `timeZone`: the person's IANA zone, for the assistant's instructions (docs/api.md); the service
// refuses one it does not know. The page's scope (pageScope) goes along.
export function relayUrl(location, timeZone) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const params = new URLSearchParams();
    if (timeZone) params.set('tz', timeZone);
    for (const [name, value] of Object.entries(pageScope(location))) params.set(name, value);
    const query = params.toString();
    return `${scheme}//${location.host}/api/realtime${query ? `?${query}` : ''}`;
}

export class RelayConnection extends EventTarget {
    constructor(url) {
        super();
        this.url = url;
        this.socket = null;
    }

    get open() {
        return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
    }

    connect() {
        this.disconnect();
        const socket = new WebSocket(this.url);
        this.socket = socket;
        let opened = false;
        this.status({ state: 'connecting' });
        socket.onopen = () => {
            opened = true;
            this.status({ state: 'connected' });
        };
        socket.onmessage = (message) => {
            let event;
            try {
                event = JSON.parse(message.data);
            } catch {
                return; // the service sends JSON only; ignore anything else
            }
            this.dispatchEvent(new CustomEvent('server-event', { detail: event }));
        };
        // 'error' carries no detail in browsers; the 'close' that always follows does.
        socket.onclose = (close) => {
            if (this.socket !== socket) return; // replaced by a newer connection
            this.socket = null;
            this.status({ state: 'closed', code: close.code, ...describeClose(close, opened) });
        };
    }

    // Sends one client event; false when not connected.
    send(event) {
        if (!this.open) return false;
        this.socket.send(JSON.stringify(event));
        return true;
    }

    disconnect() {
        if (!this.socket) return;
        const socket = this.socket;
        this.socket = null;
        socket.onopen = socket.onmessage = socket.onclose = null;
        socket.close(1000, 'page closed the session');
    }

    status(detail) {
        this.dispatchEvent(new CustomEvent('status', { detail }));
    }
}

// { message, refused }: refused is true when the connection never opened. A browser cannot see
// why the service refused the upgrade (403 origin, 429 rate limit or too many sessions, 503
// busy): close code 1006.
function describeClose(close, opened) {
    if (!opened) return { message: 'could not connect to the assistant', refused: true };
    if (close.reason) return { message: close.reason, refused: false };
    return { message: CLOSE_MESSAGES[close.code] ?? 'connection lost', refused: false };
}
