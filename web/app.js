// The chat page: typed messages and voice to the booking assistant over the service's relay.
import { AudioPlayer } from './audio_player.js';
import { ChatView } from './chat_view.js';
import { ManageBooking } from './manage_booking.js';
import { Conversation } from './conversation.js';
import { Microphone } from './microphone.js';
import { RelayConnection, pageScope, relayUrl } from './relay_connection.js';
import { showDirectory } from './directory.js';
import { chosenTimeZone, fillTimeZoneSelect, rememberTimeZone } from './time_zone.js';
import { ToolResults } from './tool_results.js';

const page = {
    status: document.getElementById('status'),
    reconnect: document.getElementById('reconnect'),
    sandboxNote: document.getElementById('sandbox-note'),
    messages: document.getElementById('messages'),
    composer: document.getElementById('composer'),
    input: document.getElementById('message'),
    send: document.getElementById('send'),
    mic: document.getElementById('mic'),
    timeZone: document.getElementById('time-zone'),
    manage: document.getElementById('manage-booking'),
    manageForm: document.getElementById('manage-form'),
    manageEmail: document.getElementById('manage-email'),
    manageClose: document.getElementById('manage-close'),
};

const view = new ChatView(page.messages);
// Organization mode: who can be booked here (nothing shows for a single host).
showDirectory(document.getElementById('directory'), pageScope(window.location));
let timeZone = chosenTimeZone();
// Set when the service refused the session with the zone and the page tried once without it.
let zoneRefused = false;
const relay = new RelayConnection(relayUrl(window.location, timeZone));
// The person's own bookings, after they proved their email (the "Manage my booking" entry).
const manageBooking = new ManageBooking(view, {
    sendText: (text) => sendText(text),
    timeZone: () => timeZone,
});
// What the tools found goes into the conversation, where it was found.
const results = new ToolResults(view, {
    sendText: (text) => sendText(text),
    timeZone: () => timeZone,
    takeMove: () => manageBooking.takeMove(),
});
// Audio is made on the first press of Voice: browsers start an AudioContext only after a gesture.
const voice = {
    context: null,
    microphone: null,
    player: null,
    starting: false,
    silencedItem: null, // the answer the person talked over: its audio still arriving is dropped
};
let connectedBefore = false;

const conversation = new Conversation(view, {
    onAudio: (itemId, base64) => {
        if (!voice.microphone?.on || itemId === voice.silencedItem) return;
        voice.player.enqueue(itemId, base64);
    },
    // Barge-in: the person talks over the assistant, so it stops and the API learns how much of
    // the answer was heard (conversation.item.truncate, OpenAI Realtime guide).
    onSpeechStarted: () => {
        page.mic.classList.add('hearing');
        const heard = voice.player?.stop();
        if (heard) {
            voice.silencedItem = heard.itemId;
            relay.send({
                type: 'conversation.item.truncate',
                item_id: heard.itemId,
                content_index: 0,
                audio_end_ms: heard.playedMs,
            });
        }
    },
    onSpeechStopped: () => page.mic.classList.remove('hearing'),
});

// Text answers unless voice is on: the default session speaks (audio plus its transcript).
function sendOutputModality() {
    const modality = voice.microphone?.on ? 'audio' : 'text';
    relay.send({
        type: 'session.update',
        session: { type: 'realtime', output_modalities: [modality] },
    });
}

// A message to the assistant, typed or from a card's button; false when not connected.
function sendText(text) {
    if (!text || !relay.open) return false;
    relay.send({
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
    });
    relay.send({ type: 'response.create' });
    view.addUserText(text);
    return true;
}

function sendTypedMessage() {
    if (!sendText(page.input.value.trim())) return;
    page.input.value = '';
    fitInput();
}

// Another zone: the cards redraw in it, and a new session gives the assistant the new zone.
function changeTimeZone(zone) {
    timeZone = zone;
    zoneRefused = false;
    rememberTimeZone(zone);
    results.render();
    manageBooking.render();
    view.addSystem(`Your time zone is now ${zone.replace(/_/g, ' ')}. Starting a new conversation with it.`);
    relay.url = relayUrl(window.location, zone);
    relay.connect();
}

async function startVoice() {
    voice.starting = true;
    page.mic.disabled = true;
    try {
        voice.context ??= new AudioContext();
        await voice.context.resume(); // a click lets the page start audio
        voice.microphone ??= new Microphone(voice.context);
        voice.player ??= new AudioPlayer(voice.context);
        await voice.microphone.start((audio) =>
            relay.send({ type: 'input_audio_buffer.append', audio }),
        );
        if (!relay.open) {
            voice.microphone.stop();
            return;
        }
        sendOutputModality();
        view.addSystem('Voice is on: speak, and the assistant answers aloud.');
    } catch (error) {
        view.addSystem(`The microphone is not available: ${error.message || error.name}`, 'error');
    } finally {
        voice.starting = false;
        showVoiceState();
    }
}

// `quietly`: the connection has ended, so nothing is sent.
function stopVoice({ quietly = false } = {}) {
    if (!voice.microphone?.on) return;
    voice.microphone.stop();
    voice.player.stop();
    page.mic.classList.remove('hearing');
    if (!quietly) {
        relay.send({ type: 'input_audio_buffer.clear' }); // drop half a sentence
        sendOutputModality();
        view.addSystem('Voice is off: answers come as text.');
    }
    showVoiceState();
}

function showVoiceState() {
    const on = voice.microphone?.on ?? false;
    page.mic.setAttribute('aria-pressed', String(on));
    page.mic.disabled = voice.starting || !relay.open;
}

function showConnection({ state, message, refused }) {
    page.status.dataset.state = state;
    const connected = state === 'connected';
    page.input.disabled = page.send.disabled = page.manage.disabled = !connected;
    page.reconnect.hidden = state !== 'closed';
    showVoiceState();
    if (state === 'connecting') {
        page.status.textContent = 'Connecting…';
    } else if (connected) {
        page.status.textContent = 'Connected';
        if (connectedBefore) {
            view.addSystem(
                'Reconnected. This is a new conversation: the assistant does not remember ' +
                    'earlier messages.',
            );
        }
        connectedBefore = true;
        sendOutputModality();
        // Not on touch screens, where focusing the box would pop up the keyboard unasked.
        if (window.matchMedia('(pointer: fine)').matches) page.input.focus();
    } else {
        page.status.textContent = `Disconnected: ${message}`;
        stopVoice({ quietly: true });
        conversation.closed();
        if (refused) {
            explainRefusal();
        } else {
            view.addSystem(`Session ended: ${message}. Press Reconnect to start again.`, 'error');
        }
    }
}

// The browser does not say why an upgrade failed; /readyz tells "down" from "refused".
async function explainRefusal() {
    let reachable = true;
    try {
        await fetch('/readyz', { cache: 'no-store' });
    } catch {
        reachable = false;
    }
    if (reachable && !zoneRefused && relay.url.includes('?tz=')) {
        // The service refuses a zone name its own zone data lacks (400): once more without it;
        // the assistant then asks for the zone.
        zoneRefused = true;
        view.addSystem(
            `Could not start a session with your time zone (${timeZone}); trying without it, ` +
                'so the assistant may ask for it.',
            'error',
        );
        relay.url = relayUrl(window.location, null);
        relay.connect();
        return;
    }
    view.addSystem(
        reachable
            ? 'The service refused a new session (it may be busy or limiting new connections). ' +
                  'Wait a moment and press Reconnect.'
            : 'The service cannot be reached. Check your connection, then press Reconnect.',
        'error',
    );
}

// GET /readyz lists its checks; in sandbox mode their details say so.
async function showSandboxNote() {
    try {
        const readiness = await (await fetch('/readyz', { cache: 'no-store' })).json();
        const details = Object.values(readiness.checks ?? {}).map((check) => check.detail ?? '');
        page.sandboxNote.hidden = !details.some((detail) => /sandbox/i.test(detail));
        // Self-service switched off, or without a way to send codes: no entry that cannot work.
        const selfService = readiness.checks?.self_service?.detail ?? '';
        page.manage.hidden = /^(off|unavailable)/.test(selfService);
        // Open where there is room for the examples; a summary line on a phone (also when the
        // window narrows or a tablet turns).
        const roomy = window.matchMedia('(min-width: 40rem)');
        page.sandboxNote.open = roomy.matches;
        roomy.addEventListener('change', () => (page.sandboxNote.open = roomy.matches));
    } catch {
        page.sandboxNote.hidden = true;
    }
}

// The message box grows with its text, up to the height the stylesheet allows.
function fitInput() {
    page.input.style.height = 'auto';
    page.input.style.height = `${page.input.scrollHeight}px`;
}

relay.addEventListener('status', (event) => showConnection(event.detail));
relay.addEventListener('server-event', (event) => {
    // The relay's own events (calrt.*) carry what the tools found; the rest are OpenAI's.
    if (event.detail?.type?.startsWith('calrt.')) {
        results.handle(event.detail);
        manageBooking.handle(event.detail);
    } else {
        conversation.handle(event.detail);
    }
});
fillTimeZoneSelect(page.timeZone, timeZone);
page.timeZone.addEventListener('change', () => changeTimeZone(page.timeZone.value));

page.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    sendTypedMessage();
});
page.input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition is not a send.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendTypedMessage();
    }
});
page.input.addEventListener('input', fitInput);
page.mic.addEventListener('click', () => (voice.microphone?.on ? stopVoice() : startVoice()));
page.reconnect.addEventListener('click', () => relay.connect());
manageBooking.attach({ button: page.manage, form: page.manageForm, email: page.manageEmail, close: page.manageClose });
for (const example of page.sandboxNote.querySelectorAll('button.example')) {
    example.addEventListener('click', () => {
        page.input.value = example.textContent.replace(/\s+/g, ' ').trim();
        fitInput();
        page.input.focus();
    });
}

showSandboxNote();
relay.connect();
