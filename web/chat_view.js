// The message list: user and assistant bubbles, tool activity lines, what the tools found (cards,
// drawn by tool_results.js, each right after the activity line of the call that found it) and
// system lines. Text from the assistant is never parsed as HTML: it becomes text nodes, and URLs
// become anchors built node by node.

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

// Space kept above a pinned finding, so its card does not touch the conversation's edge.
const PIN_MARGIN_PX = 12;

export class ChatView {
    constructor(list) {
        this.list = list;
        // The one scrolling area: the conversation, findings included (never a second column).
        this.scroller = list.closest('.chat') ?? list;
        this.assistantItems = new Map(); // item id -> { bubble, body, text }
        this.voiceItems = new Map(); // item id -> body of the user's spoken message
        this.activities = new Map(); // call id -> { line, label, labels }
        // The newest finding since the person last spoke: what comes after it (the answer that
        // speaks of it, a live confirmation) never scrolls its top out of view.
        this.pinned = null;
        this.pastPin = false; // the person scrolled down past it to read on
        // Whether the view keeps to its end (or to the pinned finding): true until the person
        // scrolls away to read something older.
        this.following = true;
        // Only the person's scrolling changes that: a scroll event can come after the content grew
        // again, and must not read the view's own scrolling as the person's.
        this.scrolledTo = null;
        this.scroller.addEventListener(
            'scroll',
            () => {
                if (Math.abs(this.scroller.scrollTop - this.scrolledTo) < 1) return;
                this.following = this.atEnd();
                const pin = this.pinPosition();
                this.pastPin = pin !== null && this.scroller.scrollTop > pin + PIN_MARGIN_PX;
            },
            { passive: true },
        );
        // The window turns or narrows, the phone's keyboard opens, a card grows: stay at the end.
        if (typeof ResizeObserver === 'function') {
            const keepEnd = new ResizeObserver(() => this.following && this.scrollToEnd());
            keepEnd.observe(this.scroller);
            keepEnd.observe(this.list);
        }
    }

    addUserText(text) {
        const { body } = this.addBubble('user', 'You', { unpin: true });
        body.textContent = text;
    }

    // A spoken turn: the API adds the item when its VAD ends the turn; a transcript only comes
    // when the session transcribes input.
    addUserVoice(itemId) {
        if (this.voiceItems.has(itemId)) return;
        const { body } = this.addBubble('user voice', 'You (spoken)', { unpin: true });
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

    // An empty list item for what a tool call found, placed right after that call's activity line
    // (at the end when the call is not shown, e.g. a booking confirmed by Calendly's webhook), and
    // pinned. The caller draws the card into it and may redraw it later.
    addFinding(callId) {
        const item = element('li', 'finding');
        const after = this.activities.get(callId)?.line;
        if (after?.isConnected) after.after(item);
        else this.list.append(item);
        this.pinned = item;
        this.pastPin = false;
        if (this.following) this.scrollToEnd();
        return item;
    }

    addBubble(role, who, { unpin = false } = {}) {
        const bubble = element('li', `message ${role}`);
        const body = element('p', 'body');
        bubble.append(element('span', 'who visually-hidden', `${who}: `), body);
        if (unpin) {
            // The person spoke: their message and what follows it matter now.
            this.pinned = null;
            this.following = true;
        }
        this.append(bubble);
        return { bubble, body };
    }

    render(entry, text) {
        entry.text = text;
        entry.body.replaceChildren();
        appendLinkified(entry.body, text);
        if (this.following) this.scrollToEnd();
    }

    append(node) {
        this.list.append(node);
        if (this.following) this.scrollToEnd();
    }

    // The scroll position that shows the pinned finding at the top; null when nothing is pinned.
    pinPosition() {
        if (!this.pinned?.isConnected) return null;
        const { scroller } = this;
        const top = this.pinned.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
        return Math.max(0, scroller.scrollTop + top - PIN_MARGIN_PX);
    }

    // At the end or at the pinned finding, within `slack` pixels.
    atEnd(slack = 80) {
        const { scroller } = this;
        const fromBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
        const pin = this.pinPosition();
        return fromBottom < slack || (pin !== null && Math.abs(scroller.scrollTop - pin) < slack);
    }

    // To the end, but not so far that the pinned finding's top leaves the view; once the person
    // has scrolled past the pin to read on, to the end.
    scrollToEnd() {
        const { scroller } = this;
        const end = scroller.scrollHeight - scroller.clientHeight;
        const pin = this.pinPosition();
        let target = pin === null || this.pastPin ? end : Math.min(end, pin);
        // A question the person is answering in a card (confirm_prompt.js, which has the focus)
        // stays in view, whatever arrives below it meanwhile.
        const asking = document.activeElement?.closest?.('.confirm-prompt');
        if (asking && this.list.contains(asking)) {
            const box = asking.getBoundingClientRect();
            const top = scroller.scrollTop + box.top - scroller.getBoundingClientRect().top;
            const lowest = top + box.height + PIN_MARGIN_PX - scroller.clientHeight;
            target = Math.max(lowest, Math.min(target, top - PIN_MARGIN_PX));
        }
        scroller.scrollTop = target;
        this.scrolledTo = scroller.scrollTop;
    }
}
