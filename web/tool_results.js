// What the assistant's tools found, drawn beside the conversation from the relay's
// calrt.tool_result events (docs/api.md): meeting types as cards, open times as a slot picker
// grouped by day in the person's time zone, a booking as a card with its links and an .ics file.
// Pressing something sends the assistant a plain message, as if the person had typed it, so voice,
// typing and clicking all go through the same conversation.
import { icsCalendar } from './ics.js';

// Cards kept on screen; older ones go (the conversation still has them).
const MAX_CARDS = 6;

let nextId = 0;
const uniqueId = (prefix) => `${prefix}-${++nextId}`;

function element(tag, attributes = {}, ...children) {
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
function safeUrl(text) {
    try {
        const url = new URL(text);
        return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
        return null;
    }
}

function externalLink(href, text, label) {
    return element(
        'a',
        { href, target: '_blank', rel: 'noopener noreferrer', className: 'button-link', 'aria-label': label },
        text,
    );
}

export class ToolResults {
    // options: { sendText(text) -> bool, timeZone() -> IANA name }
    constructor(container, announcer, options) {
        this.container = container;
        this.announcer = announcer;
        this.options = options;
        this.results = []; // the events drawn, oldest first, so a zone change can redraw them
    }

    handle(event) {
        if (event?.type === 'calrt.booking_confirmed') return this.confirmed(event);
        if (!event || event.type !== 'calrt.tool_result' || typeof event.result !== 'object') return;
        this.add(event);
    }

    add(event) {
        if (!this.cardFor(event)) return;
        // Calendly's webhook often confirms a booking while book_meeting is still running, so its
        // card may already be drawn: the tool's result completes that card instead of adding one.
        const invitee = event.name === 'book_meeting' ? event.result?.invitee : undefined;
        const drawn = invitee && this.results.find((shown) => shown.result?.invitee === invitee);
        if (drawn) {
            drawn.result = { ...event.result, location: drawn.result.location ?? event.result.location, end_time: drawn.result.end_time ?? event.result.end_time };
            this.render();
            return;
        }
        this.results.push(event);
        if (this.results.length > MAX_CARDS) this.results.shift();
        this.render();
        const card = this.container.lastElementChild;
        this.announce(card?.dataset.summary ?? '');
        card?.scrollIntoView({
            block: 'nearest',
            behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth',
        });
    }

    // Calendly confirmed a booking of this conversation (its webhook): the card book_meeting drew
    // gains where to meet; a booking made through a schedule_call link gets its card now.
    confirmed(event) {
        const drawn = this.results.find((shown) => shown.result?.invitee && shown.result.invitee === event.invitee);
        const booking = {
            booked: true,
            event_type: { name: event.event_name ?? 'Meeting' },
            start_time: event.start_time,
            end_time: event.end_time,
            location: event.location,
            invitee: event.invitee,
            cancel_url: event.cancel_url,
            reschedule_url: event.reschedule_url,
        };
        if (!drawn) return this.add({ type: 'calrt.tool_result', name: 'book_meeting', result: booking });
        drawn.result = { ...drawn.result, location: event.location ?? drawn.result.location, end_time: event.end_time ?? drawn.result.end_time };
        this.render();
    }

    // Redraws every card (the person picked another time zone).
    render() {
        for (const link of this.container.querySelectorAll('a[href^="blob:"]')) URL.revokeObjectURL(link.href);
        this.container.replaceChildren(...this.results.map((event) => this.cardFor(event)).filter(Boolean));
        this.container.hidden = this.results.length === 0;
    }

    announce(text) {
        if (!text) return;
        this.announcer.textContent = '';
        // A change after clearing is announced even when the text repeats.
        window.requestAnimationFrame(() => (this.announcer.textContent = text));
    }

    cardFor({ name, result }) {
        if (result.error) return null;
        if (name === 'get_available_meeting_types' || result.needs_event_type) {
            return Array.isArray(result.event_types) ? this.meetingTypesCard(result.event_types) : null;
        }
        if (name === 'check_meeting_availability' && Array.isArray(result.days)) {
            const starts = result.days.flatMap((day) => (Array.isArray(day.slots) ? day.slots : []));
            return this.slotsCard(result.event_type, starts, 'Open times');
        }
        if (name === 'book_meeting' && result.booked === true) return this.bookingCard(result);
        if (name === 'book_meeting' && Array.isArray(result.nearest_available_times)) {
            const starts = result.nearest_available_times.map((slot) => slot.start_time);
            return this.slotsCard(result.event_type, starts, 'That time was taken. Nearest open times');
        }
        if (name === 'schedule_call' && safeUrl(result.booking_url)) return this.linkCard(result);
        return null;
    }

    card(kind, title, summary) {
        const headingId = uniqueId('card');
        const card = element('section', { className: `card ${kind}`, 'aria-labelledby': headingId });
        card.dataset.summary = summary;
        card.append(element('h3', { id: headingId }, title));
        return card;
    }

    meetingTypesCard(types) {
        const card = this.card('meeting-types', 'Meeting types', `${types.length} meeting types shown.`);
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
                    element('h4', {}, name),
                    element('p', { className: 'duration' }, `${type.duration_minutes} min`),
                    type.description ? element('p', { className: 'description' }, String(type.description)) : null,
                    button,
                ),
            );
        }
        card.append(list);
        return card;
    }

    slotsCard(eventType, starts, heading) {
        const zone = this.options.timeZone();
        const typeName = String(eventType?.name ?? 'meeting');
        const times = starts
            .map((text) => ({ text, date: new Date(text) }))
            .filter((slot) => !Number.isNaN(slot.date.getTime()));
        const card = this.card(
            'slots',
            `${heading}: ${typeName}`,
            `${times.length} open times shown for the ${typeName}, in ${zone}.`,
        );
        card.append(element('p', { className: 'zone-note' }, `Times in ${zone.replace(/_/g, ' ')}. Press one to book it.`));
        if (times.length === 0) {
            card.append(element('p', {}, 'No open times in this range.'));
            return card;
        }
        const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
        const dayLabel = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric' });
        const timeLabel = new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
        const days = new Map();
        for (const slot of times) {
            const key = dayKey.format(slot.date);
            if (!days.has(key)) days.set(key, []);
            days.get(key).push(slot);
        }
        for (const slots of days.values()) {
            const day = dayLabel.format(slots[0].date);
            const list = element('ul', { className: 'slot-list' });
            for (const slot of slots) {
                const time = timeLabel.format(slot.date);
                const button = element('button', { type: 'button', className: 'slot', 'aria-label': `${time}, ${day}` }, time);
                button.dataset.start = slot.text;
                button.addEventListener('click', () => {
                    // The exact start the tool gave, so the assistant books that very slot.
                    if (this.options.sendText(`Please book the ${typeName} at ${slot.text} (my time zone is ${zone}).`)) {
                        for (const other of card.querySelectorAll('button.slot')) other.classList.remove('chosen');
                        button.classList.add('chosen');
                    }
                });
                list.append(element('li', {}, button));
            }
            card.append(element('div', { className: 'day' }, element('h4', {}, day), list));
        }
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
        const card = this.card('booking', `Booked: ${typeName}`, `Booked: ${typeName}, ${when}.`);
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
        const card = this.card('booking-link', 'Your booking link', `A booking link for the ${typeName} is ready.`);
        card.append(
            element('p', {}, result.fallback ? 'Pick a time on the public booking page.' : `Your details are filled in; pick a time for the ${typeName}.`),
            element('div', { className: 'actions' }, externalLink(safeUrl(result.booking_url), 'Open booking page', `Open booking page for the ${typeName}`)),
        );
        return card;
    }
}
