// What the assistant's tools found, drawn in the conversation where it was found (each card right
// after the activity line of its tool call) from the relay's calrt.tool_result events (docs/api.md):
// meeting types as cards, open times as a day picker (a row of days, then that day's times) in the
// person's time zone, a booking as a card with its links and an .ics file. Pressing something sends
// the assistant a plain message, as if the person had typed it, so voice, typing and clicking all go
// through the same conversation.
import { icsCalendar } from './ics.js';

let nextId = 0;
const uniqueId = (prefix) => `${prefix}-${++nextId}`;

// Organization mode: who hosts a meeting type (tool answers' `hosts`, `pooling`); null otherwise.
function hostsLine(type) {
    const hosts = Array.isArray(type.hosts) ? type.hosts.map(String) : [];
    if (hosts.length === 0) return null;
    const how = type.pooling === 'round_robin' ? ' (whoever is free)' : type.pooling === 'collective' ? ' (all together)' : '';
    return element('p', { className: 'hosts' }, `With ${hosts.join(', ')}${how}`);
}

export function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === undefined || value === null) continue;
        if (name === 'className') node.className = value;
        else node.setAttribute(name, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
}

// Only http(s) links from the tools become links: the page never follows javascript: or data:.
export function safeUrl(text) {
    try {
        const url = new URL(text);
        return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
        return null;
    }
}

export function externalLink(href, text, label) {
    return element(
        'a',
        { href, target: '_blank', rel: 'noopener noreferrer', className: 'button-link', 'aria-label': label },
        text,
    );
}

// The WAI-ARIA tabs pattern's keys for a horizontal row (APG, "Tabs"): Left and Right move along it
// (wrapping), Home and End to its ends.
const TAB_KEYS = { ArrowRight: 1, ArrowLeft: -1 };

export class ToolResults {
    // view: the conversation (chat_view.js; addFinding(callId) gives the list item to draw in).
    // options: { sendText(text) -> bool, timeZone() -> IANA name }
    constructor(view, options) {
        this.view = view;
        this.options = options;
        // Each finding drawn: { event, item, state }, oldest first, so a zone change can redraw
        // them; state is what the person chose in it (the day shown, the time pressed).
        this.entries = [];
    }

    handle(event) {
        if (event?.type === 'calrt.booking_confirmed') return this.confirmed(event);
        if (event?.type === 'calrt.sandbox_code') return this.sandboxCode(event);
        if (!event || event.type !== 'calrt.tool_result' || typeof event.result !== 'object') return;
        this.add(event);
    }

    add(event) {
        if (!this.shows(event)) return;
        // Calendly's webhook often confirms a booking while book_meeting is still running, so its
        // card may already be drawn: the tool's result completes that card instead of adding one.
        const invitee = event.name === 'book_meeting' ? event.result?.invitee : undefined;
        const drawn = invitee && this.entries.find((shown) => shown.event.result?.invitee === invitee);
        if (drawn) {
            const earlier = drawn.event.result;
            drawn.event.result = { ...event.result, location: earlier.location ?? event.result.location, end_time: earlier.end_time ?? event.result.end_time, hosts: event.result.hosts ?? earlier.hosts };
            this.draw(drawn);
            return;
        }
        const entry = { event, item: this.view.addFinding(event.call_id), state: {} };
        // Open times asked for to move a booking (manage_booking.js): pressing one moves it there.
        if (event.name === 'check_meeting_availability') entry.state.move = this.options.takeMove?.() ?? undefined;
        this.entries.push(entry);
        this.draw(entry);
    }

    // Calendly confirmed a booking of this conversation (its webhook): the card book_meeting drew
    // gains where to meet; a booking made through a schedule_call link gets its card now.
    confirmed(event) {
        const drawn = this.entries.find((shown) => shown.event.result?.invitee && shown.event.result.invitee === event.invitee);
        const booking = {
            booked: true,
            event_type: { name: event.event_name ?? 'Meeting' },
            start_time: event.start_time,
            end_time: event.end_time,
            location: event.location,
            invitee: event.invitee,
            cancel_url: event.cancel_url,
            reschedule_url: event.reschedule_url,
            hosts: event.hosts,
        };
        if (!drawn) return this.add({ type: 'calrt.tool_result', name: 'book_meeting', result: booking });
        const earlier = drawn.event.result;
        drawn.event.result = { ...earlier, location: event.location ?? earlier.location, end_time: event.end_time ?? earlier.end_time, hosts: earlier.hosts ?? event.hosts };
        this.draw(drawn);
    }

    // Redraws every card (the person picked another time zone).
    render() {
        for (const entry of this.entries) this.draw(entry);
    }

    draw(entry) {
        for (const link of entry.item.querySelectorAll('a[href^="blob:"]')) URL.revokeObjectURL(link.href);
        entry.item.replaceChildren(this.cardFor(entry) ?? '');
    }

    // Whether an event draws a card: results that are not errors, of the shapes below.
    shows({ name, result }) {
        if (!result || result.error) return false;
        if (name === 'get_available_meeting_types' || result.needs_event_type) return Array.isArray(result.event_types);
        if (name === 'check_meeting_availability') return Array.isArray(result.days);
        if (name === 'book_meeting') return result.booked === true || Array.isArray(result.nearest_available_times);
        return name === 'schedule_call' && safeUrl(result.booking_url) !== null;
    }

    cardFor({ event, state }) {
        const { name, result } = event;
        if (!this.shows(event)) return null;
        if (name === 'get_available_meeting_types' || result.needs_event_type) return this.meetingTypesCard(result.event_types);
        if (name === 'check_meeting_availability') {
            const starts = result.days.flatMap((day) => (Array.isArray(day.slots) ? day.slots : []));
            return this.slotsCard(state, result.event_type, starts, state.move ? 'New time' : 'Open times');
        }
        if (name === 'book_meeting' && result.booked === true) return this.bookingCard(result);
        if (name === 'book_meeting') {
            const starts = result.nearest_available_times.map((slot) => slot?.start_time);
            return this.slotsCard(state, result.event_type, starts, 'That time was taken. Nearest open times');
        }
        return this.linkCard(result);
    }

    // Sandbox mode mails nothing: the one-time code a real deployment would email is shown here,
    // marked as sandbox, so the person can read it back to the assistant.
    sandboxCode(event) {
        const card = this.card('sandbox-code', 'Sandbox: your one-time code');
        card.append(
            element('p', {}, `A real deployment emails this code to ${String(event.email ?? 'you')}:`),
            element('p', { className: 'code' }, String(event.code ?? '')),
            element('p', {}, String(event.note ?? '')),
        );
        this.view.addFinding(uniqueId('sandbox-code')).append(card);
    }

    card(kind, title) {
        const headingId = uniqueId('card');
        const card = element('section', { className: `card ${kind}`, 'aria-labelledby': headingId });
        card.append(element('h2', { id: headingId }, title));
        return card;
    }

    meetingTypesCard(types) {
        const card = this.card('meeting-types', 'Meeting types');
        const list = element('ul', { className: 'type-list' });
        for (const type of types) {
            const name = String(type.name ?? 'Meeting');
            const button = element(
                'button',
                { type: 'button', className: 'secondary', 'aria-label': `Show times for the ${name}` },
                'Show times',
            );
            button.addEventListener('click', () =>
                this.options.sendText(
                    `Which times are available for the ${name}? My time zone is ${this.options.timeZone()}.`,
                ),
            );
            list.append(
                element(
                    'li',
                    { className: 'type' },
                    element('h3', {}, name),
                    element('p', { className: 'duration' }, `${type.duration_minutes} min`),
                    hostsLine(type),
                    type.description ? element('p', { className: 'description' }, String(type.description)) : null,
                    button,
                ),
            );
        }
        card.append(list);
        return card;
    }

    // Open times as booking pages show them: a row of days (a tab list), then the chosen day's
    // times (its tab panel). `state.day` and `state.chosen` survive a redraw.
    slotsCard(state, eventType, starts, heading) {
        const zone = this.options.timeZone();
        const typeName = String(eventType?.name ?? 'meeting');
        const times = starts
            .filter((text) => typeof text === 'string')
            .map((text) => ({ text, date: new Date(text) }))
            .filter((slot) => !Number.isNaN(slot.date.getTime()));
        const card = this.card('slots', `${heading}: ${typeName}`);
        const whatPressingDoes = state.move ? 'move your meeting there' : 'book it';
        card.append(element('p', { className: 'zone-note' }, `Times in ${zone.replace(/_/g, ' ')}. Pick a day, then press a time to ${whatPressingDoes}.`));
        // Where the move to a pressed time is confirmed.
        const moveConfirm = state.move ? element('div', { className: 'move-confirm' }) : null;
        if (times.length === 0) {
            card.append(element('p', {}, 'No open times in this range.'));
            return card;
        }
        const format = (options) => new Intl.DateTimeFormat(undefined, { timeZone: zone, ...options });
        const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
        const dayLabel = format({ weekday: 'long', month: 'long', day: 'numeric' });
        const weekday = format({ weekday: 'short' });
        const monthDay = format({ month: 'short', day: 'numeric' });
        const timeLabel = format({ hour: 'numeric', minute: '2-digit' });
        const days = new Map(); // local day (YYYY-MM-DD) -> its slots, in the order given
        for (const slot of times) {
            const key = dayKey.format(slot.date);
            if (!days.has(key)) days.set(key, []);
            days.get(key).push(slot);
        }

        const tabList = element('div', { role: 'tablist', className: 'day-tabs', 'aria-label': `Days with open times for the ${typeName}` });
        const tabs = [];
        const panels = [];
        const slotButtons = [];
        for (const [key, slots] of days) {
            const tabId = uniqueId('day');
            const panelId = uniqueId('times');
            const count = `${slots.length} ${slots.length === 1 ? 'time' : 'times'}`;
            const tab = element(
                'button',
                { type: 'button', role: 'tab', id: tabId, className: 'day-tab', 'aria-controls': panelId },
                // The separators give the tab its spoken name ("Mon, Dec 7, 6 times"); the row
                // shows the three parts on lines of their own.
                element('span', { className: 'day-tab-weekday' }, weekday.format(slots[0].date)),
                element('span', { className: 'visually-hidden' }, ', '),
                element('span', { className: 'day-tab-date' }, monthDay.format(slots[0].date)),
                element('span', { className: 'visually-hidden' }, ', '),
                element('span', { className: 'day-tab-count' }, count),
            );
            tab.dataset.day = key;
            const day = dayLabel.format(slots[0].date);
            const list = element('ul', { className: 'slot-list' });
            for (const slot of slots) {
                const time = timeLabel.format(slot.date);
                const button = element(
                    'button',
                    { type: 'button', className: 'slot', 'aria-label': `${time}, ${day}`, 'aria-pressed': String(slot.text === state.chosen) },
                    time,
                );
                button.dataset.start = slot.text;
                button.addEventListener('click', () => {
                    if (state.move) {
                        state.move.choose(slot.text, moveConfirm, () => {
                            state.chosen = slot.text;
                            for (const other of slotButtons) other.setAttribute('aria-pressed', String(other === button));
                        });
                        return;
                    }
                    // The exact start the tool gave, so the assistant books that very slot.
                    if (!this.options.sendText(`Please book the ${typeName} at ${slot.text} (my time zone is ${zone}).`)) return;
                    state.chosen = slot.text;
                    for (const other of slotButtons) other.setAttribute('aria-pressed', String(other === button));
                });
                slotButtons.push(button);
                list.append(element('li', {}, button));
            }
            const panel = element('div', { role: 'tabpanel', id: panelId, className: 'day-times', 'aria-labelledby': tabId }, element('h3', {}, day), list);
            panel.dataset.day = key;
            tabs.push(tab);
            panels.push(panel);
            tabList.append(tab);
        }

        // One tab in the Tab order (the chosen day's); the arrows move between days.
        const select = (index, { focus = false } = {}) => {
            tabs.forEach((tab, i) => {
                tab.setAttribute('aria-selected', String(i === index));
                tab.tabIndex = i === index ? 0 : -1;
                panels[i].hidden = i !== index;
            });
            state.day = tabs[index].dataset.day;
            if (focus) tabs[index].focus();
        };
        tabs.forEach((tab, i) => tab.addEventListener('click', () => select(i)));
        tabList.addEventListener('keydown', (event) => {
            const current = tabs.indexOf(document.activeElement);
            if (current < 0) return;
            let next = null;
            if (event.key in TAB_KEYS) next = (current + TAB_KEYS[event.key] + tabs.length) % tabs.length;
            else if (event.key === 'Home') next = 0;
            else if (event.key === 'End') next = tabs.length - 1;
            if (next === null) return;
            event.preventDefault();
            select(next, { focus: true });
        });
        // The day of the time pressed, else the day shown before a redraw, else the first.
        const chosenDay = state.chosen && times.find((slot) => slot.text === state.chosen);
        const wanted = chosenDay ? dayKey.format(chosenDay.date) : state.day;
        select(Math.max(0, tabs.findIndex((tab) => tab.dataset.day === wanted)));
        card.append(tabList, ...panels);
        if (moveConfirm) card.append(moveConfirm);
        return card;
    }

    bookingCard(result) {
        const zone = this.options.timeZone();
        const typeName = String(result.event_type?.name ?? 'Meeting');
        const start = new Date(result.start_time);
        const minutes = Number(result.event_type?.duration_minutes) || 30;
        const confirmedEnd = result.end_time ? new Date(result.end_time) : null;
        const end = confirmedEnd && !Number.isNaN(confirmedEnd.getTime()) ? confirmedEnd : new Date(start.getTime() + minutes * 60_000);
        const date = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
        const time = new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
        const when = `${date.format(start)}, ${time.format(start)} – ${time.format(end)}`;
        const card = this.card('booking', `Booked: ${typeName}`);
        const details = element(
            'dl',
            {},
            element('dt', {}, 'Meeting'),
            element('dd', {}, typeName),
            element('dt', {}, 'When'),
            element('dd', { className: 'when' }, when),
            element('dt', {}, 'Time zone'),
            element('dd', {}, zone.replace(/_/g, ' ')),
        );
        // Organization mode: who Calendly assigned (a round robin's host, a collective's panel).
        const hosts = Array.isArray(result.hosts) ? result.hosts.map(String).filter(Boolean) : [];
        if (hosts.length > 0) details.append(element('dt', {}, 'With'), element('dd', { className: 'hosts' }, hosts.join(', ')));
        const where = result.location?.join_url ?? result.location?.location ?? null;
        if (where) {
            details.append(element('dt', {}, 'Where'));
            const href = safeUrl(where);
            details.append(element('dd', {}, href ? externalLink(href, 'Join link', 'Join link of the meeting') : String(where)));
        }
        card.append(details);

        const actions = element('div', { className: 'actions' });
        const uid = `${String(result.invitee || result.event || `${start.getTime()}-${typeName}`).split('/').pop()}@calendly-realtime`;
        const reschedule = safeUrl(result.reschedule_url);
        const cancel = safeUrl(result.cancel_url);
        const description = [reschedule && `Reschedule: ${reschedule}`, cancel && `Cancel: ${cancel}`].filter(Boolean).join('\n');
        const ics = icsCalendar({ uid, title: typeName, start, end, location: where ?? undefined, description });
        const download = element(
            'a',
            { className: 'button-link primary', download: `${typeName.replace(/[^\w-]+/g, '-')}.ics`, href: URL.createObjectURL(new Blob([ics], { type: 'text/calendar' })) },
            'Add to calendar',
        );
        download.setAttribute('aria-label', `Add to calendar: ${typeName} (.ics file)`);
        actions.append(download);
        if (reschedule) actions.append(externalLink(reschedule, 'Reschedule', `Reschedule ${typeName} on Calendly`));
        if (cancel) actions.append(externalLink(cancel, 'Cancel', `Cancel ${typeName} on Calendly`));
        card.append(actions);
        return card;
    }

    linkCard(result) {
        const typeName = String(result.event_type?.name ?? 'meeting');
        const card = this.card('booking-link', 'Your booking link');
        card.append(
            element('p', {}, result.fallback ? 'Pick a time on the public booking page.' : `Your details are filled in; pick a time for the ${typeName}.`),
            element('div', { className: 'actions' }, externalLink(safeUrl(result.booking_url), 'Open booking page', `Open booking page for the ${typeName}`)),
        );
        return card;
    }
}
