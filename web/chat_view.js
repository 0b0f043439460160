// The message list: user and assistant bubbles, tool activity lines and system lines. Text from
// the assistant is never parsed as HTML: it becomes text nodes, and URLs become anchors built
// node by node.

// http(s) URLs up to whitespace or a closing bracket/quote; trailing sentence punctuation is
// trimmed below so "…at https://x.test/abc." links to https://x.test/abc.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'()[\]{}]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

// Appends `text` to `parent` as text nodes, with each URL as a safe anchor.
export function appendLinkified(parent, text) {
    let last = 0;
    for (const match of text.matchAll(URL_PATTERN)) {
        const url = match[0].replace(TRAILING_PUNCTUATION, '');
        if (match.index > last) parent.append(text.slice(last, match.index));
        const anchor = document.createElement('a');
        anchor.href = url;
        anchor.textContent = url;
        anchor.target = '_blank';
        anchor.rel = 'noopener noreferrer';
        parent.append(anchor);
        last = match.index + url.length;
    }
    if (last < text.length) parent.append(text.slice(last));
}

function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
}

export class ChatView {
    constructor(list) {
        this.list = list;
        this.assistantItems = new Map(); // item id -> { bubble, body, text }
        this.voiceItems = new Map(); // item id -> body of the user's spoken message
        this.activities = new Map(); // call id -> { line, label, labels }
    }

    addUserText(text) {
        const { body } = this.addBubble('user', 'You');
        body.textContent = text;
    }

    // A spoken turn: the API adds the item when its VAD ends the turn; a transcript only comes
    // when the session transcribes input.
    addUserVoice(itemId) {
        if (this.voiceItems.has(itemId)) return;
        const { body } = this.addBubble('user voice', 'You (spoken)');
        body.textContent = '🎤 (spoken)';
        this.voiceItems.set(itemId, body);
    }

    setUserTranscript(itemId, transcript) {
        const body = this.voiceItems.get(itemId);
        if (body && transcript) body.textContent = transcript;
    }

    // One bubble per assistant message item; created when the item is announced or on its
    // first delta, whichever comes first.
    assistant(itemId) {
        let entry = this.assistantItems.get(itemId);
        if (!entry) {
            const { bubble, body } = this.addBubble('assistant', 'Assistant');
            bubble.dataset.itemId = itemId;
            bubble.setAttribute('aria-busy', 'true');
            entry = { bubble, body, text: '' };
            this.assistantItems.set(itemId, entry);
        }
        return entry;
    }

    appendAssistant(itemId, delta) {
        const entry = this.assistant(itemId);
        this.render(entry, entry.text + delta);
    }

    // The final text replaces the streamed one (they match unless a delta was lost).
    finishAssistant(itemId, text) {
        const entry = this.assistant(itemId);
        if (typeof text === 'string' && text.length > 0) this.render(entry, text);
        entry.bubble.setAttribute('aria-busy', 'false');
        entry.bubble.classList.add('done');
    }

    // A response that was cancelled (barge-in) or failed before its text was complete.
    interruptAssistant(itemId) {
        const entry = this.assistantItems.get(itemId);
        if (!entry || entry.bubble.classList.contains('done')) return;
        entry.bubble.classList.add('done', 'interrupted');
        entry.bubble.setAttribute('aria-busy', 'false');
        entry.body.append(element('span', 'interrupted-mark', ' (interrupted)'));
    }

    // The connection ended: answers still streaming will not finish.
    interruptOpenAnswers() {
        for (const itemId of this.assistantItems.keys()) this.interruptAssistant(itemId);
    }

    // labels: { running: 'Checking availability…', done: 'Checked availability',
    //          stopped: 'Availability check stopped' }.
    addActivity(callId, toolName, labels) {
        if (this.activities.has(callId)) return;
        const line = element('li', 'activity');
        line.dataset.tool = toolName;
        line.dataset.state = 'running';
        const label = element('span', 'activity-label', labels.running);
        line.append(element('span', 'activity-icon'), label);
        this.activities.set(callId, { line, label, labels });
        this.append(line);
    }

    // state: 'done' or 'stopped'; only a running activity changes.
    setActivity(callId, state) {
        const activity = this.activities.get(callId);
        if (!activity || activity.line.dataset.state !== 'running') return;
        activity.line.dataset.state = state;
        activity.label.textContent =
            state === 'done' ? activity.labels.done : activity.labels.stopped;
    }

    finishRunningActivities(state) {
        for (const callId of this.activities.keys()) this.setActivity(callId, state);
    }

    // kind: 'info' or 'error'.
    addSystem(text, kind = 'info') {
        const line = element('li', `system ${kind}`);
        appendLinkified(line, text);
        this.append(line);
    }

    addBubble(role, who) {
        const bubble = element('li', `message ${role}`);
        const body = element('p', 'body');
        bubble.append(element('span', 'who visually-hidden', `${who}: `), body);
        this.append(bubble);
        return { bubble, body };
    }

    render(entry, text) {
        const follow = this.nearBottom();
        entry.text = text;
        entry.body.replaceChildren();
        appendLinkified(entry.body, text);
        if (follow) this.scrollToEnd();
    }

    append(node) {
        const follow = this.nearBottom();
        this.list.append(node);
        if (follow) this.scrollToEnd();
    }

    // Follows new text only when the person has not scrolled up to read something older.
    nearBottom(slack = 80) {
        const scroller = this.list.parentElement;
        return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < slack;
    }

    scrollToEnd() {
        const scroller = this.list.parentElement;
        scroller.scrollTop = scroller.scrollHeight;
    }
}
