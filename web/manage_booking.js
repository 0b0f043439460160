// "Manage my booking" (issue 23): the person proves their email with a one-time code, then sees
// their own upcoming bookings as cards with Cancel and Reschedule, each confirmed in the page before
// the assistant is asked to make the change. Everything goes through the conversation as plain
// messages (as if typed), and the cards follow the tools' answers (calrt.tool_result, docs/api.md):
//   send_verification_code -> a card to type the code into ("My code is 123456")
//   check_verification_code -> that card says verified, with "Show my bookings"
//   find_my_bookings        -> the bookings, each with Cancel and Reschedule
//   cancel_booking          -> its card marked cancelled, its buttons gone
//   reschedule_booking      -> its card shows the new time, with a new .ics
// Nothing about bookings is drawn but what find_my_bookings answered, which the service gives only
// for an email proven in this conversation.
import { askToConfirm } from './confirm_prompt.js';
import { icsCalendar } from './ics.js';
import { element, externalLink, safeUrl } from './tool_results.js';

let nextId = 0;
const uniqueId = (prefix) => `${prefix}-${++nextId}`;

// A model may still read the change back before making it (the tool's own first step): the answer
// to that is given in the conversation.
const ASKED_IN_CONVERSATION = 'Nothing is changed yet: the assistant asks you to confirm in the conversation.';

// The booking's UUID: the last part of its event URI (what the tools accept as `event`).
const uuidOf = (reference) => String(reference ?? '').split('/').pop();

export class ManageBooking {
    // view: the conversation (chat_view.js). options: { sendText(text) -> bool, timeZone() -> IANA name }
    constructor(view, options) {
        this.view = view;
        this.options = options;
        this.codeCards = []; // { email, item, verified }
        this.bookings = []; // every booking drawn: { data, status, li, body, note, list }
        this.pendingMove = null; // the booking whose Reschedule was pressed, until its times come
    }

    // The entry beside the message box: a button that opens a small form asking for the email.
    attach({ button, form, email, close }) {
        const open = (shown) => {
            form.hidden = !shown;
            button.setAttribute('aria-expanded', String(shown));
            if (shown) email.focus();
            else button.focus();
        };
        button.addEventListener('click', () => open(form.hidden));
        close.addEventListener('click', () => open(false));
        form.addEventListener('keydown', (event) => {
            if (event.key === 'Escape') open(false);
        });
        form.addEventListener('submit', (event) => {
            event.preventDefault();
            const address = email.value.trim();
            if (!email.checkValidity() || !address) {
                email.reportValidity();
                return;
            }
            // Words the sandbox assistant and a real model both take as "send me a code".
            if (!this.options.sendText(`I'd like to manage my booking. My email is ${address}; please send me a code.`)) return;
            form.hidden = true;
            button.setAttribute('aria-expanded', 'false');
        });
    }

    handle(event) {
        if (event?.type !== 'calrt.tool_result' || typeof event.result !== 'object' || event.result === null) return;
        const { name, result } = event;
        if (name === 'send_verification_code' && result.sent === true) this.codePrompt(event);
        else if (name === 'check_verification_code') this.codeChecked(event);
        else if (name === 'find_my_bookings' && Array.isArray(result.bookings)) this.bookingsCard(event);
        else if (name === 'cancel_booking') this.cancelled(event);
        else if (name === 'reschedule_booking') this.moved(event);
    }

    // For tool_results.js: the open times that arrive after Reschedule was pressed move that booking.
    takeMove() {
        const booking = this.pendingMove;
        this.pendingMove = null;
        if (!booking) return undefined;
        return { choose: (start, host, chosen) => this.confirmMove(booking, start, host, chosen) };
    }

    // Redraws the bookings (the person picked another time zone).
    render() {
        for (const booking of this.bookings) this.drawBooking(booking);
    }

    codePrompt({ call_id: callId, result }) {
        const email = String(result.email ?? '');
        const item = this.view.addFinding(callId);
        const entry = { email, item, verified: false };
        this.codeCards.push(entry);
        const headingId = uniqueId('card');
        const inputId = uniqueId('code');
        const hintId = uniqueId('code-hint');
        const card = element('section', { className: 'card code-prompt', 'aria-labelledby': headingId });
        const input = element('input', {
            id: inputId,
            name: 'one-time-code',
            type: 'text',
            inputmode: 'numeric',
            autocomplete: 'one-time-code',
            pattern: '[0-9]{6}',
            maxlength: '6',
            required: '',
            'aria-describedby': hintId,
            className: 'code-input',
        });
        const feedback = element('p', { className: 'code-feedback', role: 'status' });
        const form = element(
            'form',
            { className: 'code-form' },
            element('label', { for: inputId }, '6-digit code'),
            element('div', { className: 'code-row' }, input, element('button', { type: 'submit' }, 'Check code')),
        );
        form.addEventListener('submit', (event) => {
            event.preventDefault();
            const code = input.value.replace(/\s+/g, '');
            if (!/^\d{6}$/.test(code)) {
                feedback.textContent = 'The code is 6 digits, as in the email.';
                input.setAttribute('aria-invalid', 'true');
                input.focus();
                return;
            }
            input.removeAttribute('aria-invalid');
            if (this.options.sendText(`My code is ${code}`)) feedback.textContent = 'Checking the code…';
        });
        const minutes = Number(result.expires_in_minutes) || 10;
        card.append(
            element('h2', { id: headingId }, 'Enter your code'),
            element('p', { id: hintId }, `We emailed a 6-digit code to ${email}. It works for ${minutes} minutes.`),
            form,
            feedback,
        );
        entry.card = card;
        entry.feedback = feedback;
        entry.input = input;
        item.append(card);
        // Not on touch screens, where focusing would pop up the keyboard unasked.
        if (window.matchMedia('(pointer: fine)').matches) input.focus({ preventScroll: true });
    }

    codeChecked({ arguments: args, result }) {
        const email = String(result.email ?? args?.email ?? '');
        const entry = [...this.codeCards].reverse().find((card) => card.email === email && !card.verified) ?? this.codeCards.at(-1);
        if (!entry?.card) return;
        if (result.verified !== true) {
            entry.feedback.textContent = String(result.error?.message ?? 'That code did not work.');
            entry.input.setAttribute('aria-invalid', 'true');
            return;
        }
        entry.verified = true;
        const show = element('button', { type: 'button' }, 'Show my bookings');
        show.addEventListener('click', () => this.options.sendText('Show my bookings'));
        entry.card.querySelector('h2').textContent = 'Email verified';
        entry.card.querySelector('form').remove();
        entry.card.querySelector('p').textContent = `${email} is verified for this conversation.`;
        entry.feedback.textContent = 'Verified.';
        entry.card.append(element('div', { className: 'actions' }, show));
    }

    bookingsCard({ call_id: callId, result }) {
        const item = this.view.addFinding(callId);
        const headingId = uniqueId('card');
        const card = element('section', { className: 'card my-bookings', 'aria-labelledby': headingId });
        card.append(element('h2', { id: headingId }, 'Your upcoming meetings'));
        if (result.bookings.length === 0) {
            card.append(element('p', {}, `No upcoming meetings are booked for ${String(result.email ?? 'you')}.`));
            item.append(card);
            return;
        }
        const list = element('ul', { className: 'booking-list' });
        for (const data of result.bookings) {
            // The newest card of a booking is the one that follows its changes.
            this.bookings = this.bookings.filter((shown) => uuidOf(shown.data.event) !== uuidOf(data.event));
            const headId = uniqueId('booking');
            const body = element('div', { className: 'booking-body' });
            const note = element('p', { className: 'booking-note', role: 'status' });
            const li = element('li', { className: 'my-booking', 'aria-labelledby': headId }, body, note);
            const booking = { data: { ...data }, status: 'active', li, body, note, headId };
            this.bookings.push(booking);
            this.drawBooking(booking);
            list.append(li);
        }
        card.append(list);
        item.append(card);
    }

    find(reference) {
        const uuid = uuidOf(reference);
        return uuid ? this.bookings.find((booking) => uuidOf(booking.data.event) === uuid) : undefined;
    }

    when(data) {
        const zone = this.options.timeZone();
        const start = new Date(data.start_time);
        const end = new Date(data.end_time);
        if (Number.isNaN(start.getTime())) return String(data.spoken ?? data.start_time ?? '');
        const date = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric' });
        const time = new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
        return Number.isNaN(end.getTime()) ? `${date.format(start)}, ${time.format(start)}` : `${date.format(start)}, ${time.format(start)} – ${time.format(end)}`;
    }

    drawBooking(booking) {
        const { data, status } = booking;
        const name = String(data.name || 'Meeting');
        for (const link of booking.body.querySelectorAll('a[href^="blob:"]')) URL.revokeObjectURL(link.href);
        booking.li.dataset.status = status;
        booking.li.dataset.event = uuidOf(data.event);
        const heading = element('h3', { id: booking.headId, tabindex: '-1' }, name);
        if (status === 'canceled') heading.append(element('span', { className: 'badge cancelled' }, ' Cancelled'));
        if (status === 'moved') heading.append(element('span', { className: 'badge moved' }, ' Moved'));
        const details = element(
            'dl',
            {},
            element('dt', {}, 'When'),
            element('dd', { className: 'when' }, this.when(data)),
            element('dt', {}, 'Time zone'),
            element('dd', {}, this.options.timeZone().replace(/_/g, ' ')),
        );
        const where = data.location?.join_url ?? data.location?.location ?? null;
        if (where && status !== 'canceled') {
            const href = safeUrl(where);
            details.append(element('dt', {}, 'Where'), element('dd', {}, href ? externalLink(href, 'Join link', `Join link of the ${name}`) : String(where)));
        }
        const actions = element('div', { className: 'actions' });
        if (status !== 'canceled') {
            actions.append(this.icsLink(data, name));
            if (data.shared_with_others) {
                // A group meeting: cancelling the event would cancel it for everyone.
                const cancel = safeUrl(data.cancel_url);
                const reschedule = safeUrl(data.reschedule_url);
                if (reschedule) actions.append(externalLink(reschedule, 'Reschedule on Calendly', `Reschedule your place in the ${name} on Calendly`));
                if (cancel) actions.append(externalLink(cancel, 'Cancel on Calendly', `Cancel your place in the ${name} on Calendly`));
            } else {
                const label = `the ${name} on ${this.when(data)}`;
                const reschedule = element('button', { type: 'button', className: 'secondary', 'aria-label': `Reschedule ${label}` }, 'Reschedule');
                const cancel = element('button', { type: 'button', className: 'secondary danger', 'aria-label': `Cancel ${label}` }, 'Cancel');
                reschedule.addEventListener('click', () => this.askForTimes(booking));
                cancel.addEventListener('click', () => this.confirmCancel(booking, actions));
                if (booking.pending) reschedule.disabled = cancel.disabled = true;
                actions.append(reschedule, cancel);
            }
        }
        booking.actions = actions;
        booking.body.replaceChildren(heading, details, actions);
    }

    icsLink(data, name) {
        const start = new Date(data.start_time);
        const end = new Date(data.end_time);
        const where = data.location?.join_url ?? data.location?.location ?? undefined;
        const reschedule = safeUrl(data.reschedule_url);
        const cancel = safeUrl(data.cancel_url);
        const description = [reschedule && `Reschedule: ${reschedule}`, cancel && `Cancel: ${cancel}`].filter(Boolean).join('\n');
        const ics = icsCalendar({ uid: `${uuidOf(data.event)}@calendly-realtime`, title: name, start, end, location: where, description });
        const link = element(
            'a',
            { className: 'button-link primary', download: `${name.replace(/[^\w-]+/g, '-')}.ics`, href: URL.createObjectURL(new Blob([ics], { type: 'text/calendar' })) },
            'Add to calendar',
        );
        link.setAttribute('aria-label', `Add to calendar: ${name} on ${this.when(data)} (.ics file)`);
        return link;
    }

    confirmCancel(booking, actions) {
        const name = String(booking.data.name || 'meeting');
        const when = this.when(booking.data);
        askToConfirm(actions, {
            question: `Cancel the ${name} on ${when}?`,
            yes: 'Yes, cancel it',
            no: 'Keep it',
            onYes: () => {
                // The person's yes is in the words, so the assistant cancels without asking again.
                const sent = this.options.sendText(
                    `Yes, cancel my booking id ${uuidOf(booking.data.event)} (the ${name} on ${when}). I confirm the cancellation.`,
                );
                if (sent) this.setPending(booking, 'Cancelling…');
                else this.drawBooking(booking);
                booking.li.querySelector('h3')?.focus();
            },
            onNo: () => {
                this.drawBooking(booking);
                booking.actions.querySelector('button.danger')?.focus();
            },
        });
    }

    askForTimes(booking) {
        const name = String(booking.data.name || 'meeting');
        const sent = this.options.sendText(
            `I want to move my booking id ${uuidOf(booking.data.event)} (the ${name} on ${this.when(booking.data)}). ` +
                `Which times are available for the ${name}? My time zone is ${this.options.timeZone()}.`,
        );
        if (!sent) return;
        this.pendingMove = booking;
        booking.note.textContent = 'Pick a new time from the open times below.';
    }

    confirmMove(booking, start, host, chosen) {
        const name = String(booking.data.name || 'meeting');
        const from = this.when(booking.data);
        const duration = new Date(booking.data.end_time) - new Date(booking.data.start_time);
        const to = this.when({ start_time: start, end_time: new Date(new Date(start).getTime() + (duration || 0)).toISOString() });
        askToConfirm(host, {
            question: `Move the ${name} from ${from} to ${to}?`,
            yes: 'Yes, move it',
            no: 'Not this time',
            onYes: () => {
                const sent = this.options.sendText(
                    `Yes, move my booking id ${uuidOf(booking.data.event)} (the ${name} on ${from}) to ${start} (${to}). I confirm the move.`,
                );
                if (!sent) return;
                chosen();
                this.setPending(booking, `Moving to ${to}…`);
            },
        });
    }

    setPending(booking, text) {
        booking.pending = true;
        booking.note.textContent = text;
        this.drawBooking(booking);
    }

    // The tool's answer for a booking (found by the `event` it was called with).
    booking({ arguments: args, result }) {
        return this.find(args?.event) ?? this.find(result.booking?.event) ?? this.find(result.old_booking?.event);
    }

    cancelled(event) {
        const booking = this.booking(event);
        if (!booking) return;
        const { result } = event;
        booking.pending = false;
        if (result.cancelled === true) {
            booking.status = 'canceled';
            booking.note.textContent = 'Cancelled. Calendly emails you and the host about it.';
        } else if (result.error) {
            booking.note.textContent = `Not cancelled: ${String(result.error.message ?? 'it did not work')}`;
        } else {
            booking.note.textContent = result.confirmation_needed === true ? ASKED_IN_CONVERSATION : String(result.message ?? '');
        }
        this.drawBooking(booking);
    }

    moved(event) {
        const booking = this.booking(event);
        if (!booking) return;
        const { result } = event;
        booking.pending = false;
        if (result.new_booking?.event) {
            const old = booking.data;
            const duration = new Date(old.end_time) - new Date(old.start_time);
            const start = new Date(result.new_booking.start_time);
            booking.data = {
                ...old,
                event: result.new_booking.event,
                start_time: result.new_booking.start_time,
                end_time: new Date(start.getTime() + (duration || 30 * 60_000)).toISOString(),
                cancel_url: result.new_booking.cancel_url || old.cancel_url,
                reschedule_url: result.new_booking.reschedule_url || old.reschedule_url,
            };
            booking.status = 'moved';
            booking.note.textContent = result.rescheduled === true
                ? `Moved to ${this.when(booking.data)}. The earlier time is cancelled.`
                : String(result.message ?? '');
        } else if (result.error) {
            booking.note.textContent = `Not moved: ${String(result.error.message ?? 'it did not work')}`;
        } else {
            booking.note.textContent = result.confirmation_needed === true ? ASKED_IN_CONVERSATION : String(result.message ?? '');
        }
        this.drawBooking(booking);
    }
}
