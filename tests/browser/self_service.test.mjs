// "Manage my booking" (issue 23) in a real Chromium against the real service binary (sandbox
// Calendly and assistant) with a real SMTP server: two meetings booked, nothing about them shown
// before the email is proven, the one-time code read from the mail the server received and typed
// into the page's code prompt, the bookings as cards; one rescheduled (the new time booked before
// the old one is cancelled, in the fake Calendly's own log) and its card showing the new time with a
// new .ics, the other cancelled and marked so. axe-core at each state, screenshots at 360 and 1280
// px, light and dark, in <build>/screenshots/.
//
//   node tests/browser/self_service.test.mjs <path/to/calendly-realtime> [<source dir>]
//
// Needs Chromium, `npm ci --prefix tests/browser` and python3-aiosmtpd (scripts/install-deps.sh).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VIEWPORTS, icsDate, icsEvent, screenshotWidths, seriousAccessibilityViolations, settled } from './page_checks.mjs';
import { ServiceProcess } from './service_process.mjs';
import { SmtpServer, mailPart, smtpServerAvailable } from './smtp_server.mjs';

const SKIPPED = 77; // SKIP_RETURN_CODE in tests/CMakeLists.txt
const [binary, sourceArgument] = process.argv.slice(2);
if (!binary) {
    console.error('usage: node self_service.test.mjs <calendly-realtime binary> [<source dir>]');
    process.exit(2);
}
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const { chromium } = await import('playwright-core').catch(() => ({}));
if (!chromium || !existsSync(chromiumPath) || !smtpServerAvailable()) {
    console.error(`skipped: needs ${chromiumPath}, playwright-core and python3-aiosmtpd (scripts/install-deps.sh)`);
    process.exit(SKIPPED);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(sourceArgument ?? path.join(here, '../..'));
const WAIT_MS = 10_000;
const screenshotDir = path.join(path.dirname(path.resolve(binary)), 'screenshots');
const ZONE = 'Europe/Berlin';
const EMAIL = 'ada@example.com';
// The service's default SELF_SERVICE_MIN_NOTICE_HOURS is 2: meetings here start later than that.
const NOTICE_MS = 3 * 3600_000;

const smtp = new SmtpServer(sourceDir);
let service;
let browser;
let tab;
const problems = []; // uncaught exceptions and console errors of the page
const events = []; // the relay's frames the page received
process.on('exit', () => {
    service?.kill();
    smtp.kill();
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));

before(async () => {
    await smtp.start(WAIT_MS);
    service = new ServiceProcess(binary, path.join(sourceDir, 'web'), {
        SMTP_URL: smtp.url,
        SMTP_FROM: 'Bookings <bookings@example.com>',
        SMTP_CA_FILE: smtp.caFile,
        // Three bookings for one email (two, and the reschedule's) and a quick succession of
        // messages, as a person pressing buttons sends them.
        DAILY_BOOKINGS_PER_EMAIL: '10',
        DAILY_BOOKINGS_PER_ADDRESS: '10',
        REALTIME_RESPONSE_BURST: '20',
    });
    const port = await service.start(WAIT_MS);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    const context = await browser.newContext({ timezoneId: ZONE, locale: 'en-US', viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    tab = await context.newPage();
    tab.setDefaultTimeout(WAIT_MS);
    tab.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    tab.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    tab.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => events.push(JSON.parse(payload))));
    await tab.goto(`http://127.0.0.1:${port}/`);
});

after(async () => {
    await browser?.close();
    await service?.stop();
    smtp.stop();
});

const toolResults = (name) => events.filter((event) => event.type === 'calrt.tool_result' && event.name === name);
const answers = () => tab.locator('.message.assistant.done');
const local = (options) => new Intl.DateTimeFormat('en-US', { timeZone: ZONE, ...options });
const whenText = (start, end) => {
    const date = local({ weekday: 'long', month: 'long', day: 'numeric' }).format(start);
    const time = local({ hour: 'numeric', minute: '2-digit' });
    return `${date}, ${time.format(start)} – ${time.format(end)}`;
};

async function waitUntil(condition, what, ms = WAIT_MS) {
    const deadline = Date.now() + ms;
    for (;;) {
        const value = await condition();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

async function typeMessage(text) {
    await tab.getByLabel('Message to the assistant').fill(text);
    await tab.getByLabel('Message to the assistant').press('Enter');
}

// The tool results of `name` after the first `count` of them.
const nextResult = (name, count) => waitUntil(() => toolResults(name)[count], `a result of ${name}`);

// The fake Calendly's own ordered log (GET /_fake/changes), on the origin of its resource URIs.
async function fakeChanges(eventUri) {
    const response = await fetch(new URL('/_fake/changes', eventUri));
    assert.equal(response.status, 200);
    return (await response.json()).changes;
}

const expectAccessible = async (state) => assert.deepEqual(await seriousAccessibilityViolations(tab), [], `axe, ${state}`);

// Screenshots at both widths in light and dark; at each, nothing scrolls sideways and the newest of
// `inView` is on screen; axe in dark mode too (its contrast rule). `shown`: the part of the
// conversation the state is about, scrolled into view at each width (where the person had it).
async function shoot(state, inView = [], shown = null) {
    for (const scheme of ['light', 'dark']) {
        await tab.emulateMedia({ colorScheme: scheme });
        if (scheme === 'dark') await expectAccessible(`${state}, dark`);
        const name = `self-service-${state}${scheme === 'dark' ? '-dark' : ''}`;
        if (shown) {
            await screenshotsShowing(name, shown);
            continue;
        }
        const layouts = await screenshotWidths(tab, screenshotDir, name, inView);
        for (const [width, layout] of Object.entries(layouts)) {
            const where = `${state} (${scheme}) at ${width} px: ${JSON.stringify(layout)}`;
            assert.equal(layout.sideways, false, `scrolls sideways, ${where}`);
            for (const [selector, visible] of Object.entries(layout.inView)) assert.ok(visible, `${selector} not in view, ${where}`);
        }
    }
    await tab.emulateMedia({ colorScheme: 'light' });
}

async function screenshotsShowing(name, selector) {
    for (const viewport of VIEWPORTS) {
        await tab.setViewportSize(viewport);
        await settled(tab);
        await tab.locator(selector).last().evaluate((element) => element.scrollIntoView({ block: 'end' }));
        await settled(tab);
        assert.equal(await tab.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth), false, `${name} scrolls sideways at ${viewport.width} px`);
        await tab.screenshot({ path: path.join(screenshotDir, `${name}-${viewport.width}.png`) });
    }
    await tab.setViewportSize(VIEWPORTS[0]);
    await settled(tab);
}

test('a person proves their email with the mailed code, then moves one booking and cancels another', async (t) => {
    let failed = false;
    const step = (name, body) =>
        t.test(name, { skip: failed && 'an earlier step failed' }, async () => {
            try {
                await body();
            } catch (error) {
                failed = true;
                throw error;
            }
        });

    let booked = []; // the two bookings' starts
    let open = []; // open starts, later than the notice the host asks for

    try {
        await step('two meetings are booked through the page', async () => {
            await tab.locator('#status[data-state="connected"]').waitFor();
            await typeMessage('Is the 30 minute meeting available?');
            const [availability] = [await nextResult('check_meeting_availability', 0)];
            open = availability.result.days.flatMap((day) => day.slots).filter((start) => new Date(start) - Date.now() > NOTICE_MS);
            assert.ok(open.length > 3, JSON.stringify(availability.result));
            booked = [open[0], open[2]];
            for (const [index, start] of booked.entries()) {
                await typeMessage(`Book a 30 Minute Meeting at ${start}, my name is Ada Lovelace, ${EMAIL}`);
                const result = await nextResult('book_meeting', index);
                assert.equal(result.result.booked, true, JSON.stringify(result.result));
                // Calendly's webhook confirms it live, in an answer of its own: wait for it, so the
                // next message does not meet a response still running.
                await waitUntil(async () => (await answers().filter({ hasText: 'good news' }).count()) === index + 1, 'the live confirmation');
            }
        });

        await step('before the email is proven, nothing about the bookings is shown', async () => {
            await typeMessage('Show my bookings');
            const refused = await nextResult('find_my_bookings', 0);
            assert.deepEqual(Object.keys(refused.result), ['error']);
            assert.equal(refused.result.error.code, 'verification_required');
            await answers().filter({ hasText: 'prove the email' }).waitFor();
            assert.equal(await tab.locator('.card.my-bookings').count(), 0);
        });

        let code;
        await step('"Manage my booking" asks for the email and the code arrives by mail', async () => {
            const manage = tab.getByRole('button', { name: 'Manage my booking' });
            assert.equal(await manage.getAttribute('aria-expanded'), 'false');
            // From the keyboard: the button opens the form with the email field focused.
            await manage.focus();
            await tab.keyboard.press('Enter');
            assert.equal(await manage.getAttribute('aria-expanded'), 'true');
            const email = tab.getByLabel('Your email, to get a one-time code');
            assert.equal(await email.evaluate((input) => input === document.activeElement), true);
            assert.equal(await email.getAttribute('autocomplete'), 'email');
            await expectAccessible('email form');
            await shoot('email');
            await tab.keyboard.type(EMAIL);
            await tab.keyboard.press('Enter');
            const sent = await nextResult('send_verification_code', 0);
            assert.equal(sent.result.sent, true, JSON.stringify(sent.result));
            assert.equal(await tab.locator('#manage-form').isHidden(), true);

            const mail = await waitUntil(() => smtp.received()[0], 'the code mail');
            const text = mailPart(mail, 'text/plain');
            code = /\b(\d{6})\b/.exec(text)?.[1];
            assert.ok(code, text);
            // The code went by mail only: no tool result and no sandbox card carries it.
            assert.ok(events.every((event) => !JSON.stringify(event).includes(code)), 'an event carried the code');
            assert.equal(await tab.locator('.card.sandbox-code').count(), 0);
        });

        await step('the code prompt takes the code and the bookings appear as cards', async () => {
            const prompt = tab.locator('.card.code-prompt');
            const input = prompt.getByLabel('6-digit code');
            assert.equal(await input.getAttribute('inputmode'), 'numeric');
            assert.equal(await input.getAttribute('autocomplete'), 'one-time-code');
            await expectAccessible('code prompt');
            await shoot('code', ['.card.code-prompt']);
            // A wrong code is refused in the card, which stays for another try.
            const wrong = code === '000000' ? '111111' : '000000';
            await input.fill(wrong);
            await input.press('Enter');
            const refused = await nextResult('check_verification_code', 0);
            assert.equal(refused.result.error?.code, 'wrong_code', JSON.stringify(refused.result));
            await prompt.locator('.code-feedback').filter({ hasText: 'That is not the code' }).waitFor();
            assert.equal(await input.getAttribute('aria-invalid'), 'true');
            assert.equal(await tab.locator('.card.my-bookings').count(), 0);
            await input.fill(code);
            await input.press('Enter');
            await tab.locator('.message.user').filter({ hasText: `My code is ${code}` }).waitFor();
            await prompt.getByRole('heading', { name: 'Email verified' }).waitFor();
            await prompt.getByRole('button', { name: 'Show my bookings' }).click();
            const found = await nextResult('find_my_bookings', 1);
            assert.equal(found.result.bookings.length, 2, JSON.stringify(found.result));
            const cards = tab.locator('.card.my-bookings li.my-booking');
            await waitUntil(async () => (await cards.count()) === 2, 'two booking cards');
            for (const [index, start] of booked.entries()) {
                const when = whenText(new Date(start), new Date(new Date(start).getTime() + 30 * 60_000));
                assert.equal(await cards.nth(index).locator('.when').innerText(), when);
                await cards.nth(index).getByRole('button', { name: `Reschedule the 30 Minute Meeting on ${when}` }).waitFor();
                await cards.nth(index).getByRole('button', { name: `Cancel the 30 Minute Meeting on ${when}` }).waitFor();
            }
            await expectAccessible('bookings');
            await shoot('bookings', ['.card.my-bookings h2']);
        });

        let moved; // the new start
        await step('Reschedule shows the open times; the chosen one, confirmed, books first and then cancels', async () => {
            const first = tab.locator('li.my-booking').first();
            const oldEvent = toolResults('find_my_bookings')[1].result.bookings[0].event;
            await first.getByRole('button', { name: /^Reschedule/ }).click();
            const slots = tab.locator('.card.slots').last();
            await slots.getByRole('heading', { name: 'New time: 30 Minute Meeting' }).waitFor();
            // A time that is open now and not the other booking's.
            const offered = (await nextResult('check_meeting_availability', 1)).result.days.flatMap((day) => day.slots);
            moved = offered.find((start) => new Date(start) - Date.now() > NOTICE_MS && start !== booked[0]);
            const day = local({ year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(moved));
            const dayKey = `${day.find((p) => p.type === 'year').value}-${day.find((p) => p.type === 'month').value}-${day.find((p) => p.type === 'day').value}`;
            // On a phone: the question appears in view, below the times pressed.
            await tab.setViewportSize({ width: 360, height: 780 });
            await slots.locator(`[role="tab"][data-day="${dayKey}"]`).click();
            await slots.locator(`button.slot[data-start="${moved}"]`).click();
            const shown = await slots.locator('.move-confirm .confirm-prompt').evaluate((prompt) => {
                const box = prompt.getBoundingClientRect();
                const chat = document.querySelector('.chat').getBoundingClientRect();
                return box.top >= chat.top - 1 && box.bottom <= chat.bottom + 1;
            });
            assert.equal(shown, true, 'the move question is in view at 360 px');
            await tab.setViewportSize({ width: 1280, height: 800 });
            // The page's own confirmation, focused on its yes; nothing is sent before it.
            const confirm = slots.getByRole('group');
            const newWhen = whenText(new Date(moved), new Date(new Date(moved).getTime() + 30 * 60_000));
            const oldWhen = whenText(new Date(booked[0]), new Date(new Date(booked[0]).getTime() + 30 * 60_000));
            assert.equal(await confirm.locator('.confirm-question').innerText(), `Move the 30 Minute Meeting from ${oldWhen} to ${newWhen}?`);
            assert.equal(await confirm.getByRole('button', { name: 'Yes, move it' }).evaluate((b) => b === document.activeElement), true);
            assert.equal(toolResults('reschedule_booking').length, 0);
            await expectAccessible('move confirmation');
            await shoot('move-confirm', [], '.move-confirm');
            await tab.keyboard.press('Enter');

            const result = await nextResult('reschedule_booking', 0);
            assert.equal(result.arguments.confirmed, true);
            assert.equal(result.result.rescheduled, true, JSON.stringify(result.result));
            const newEvent = result.result.new_booking.event;
            // In the fake Calendly's log: the new meeting booked, then the old one cancelled.
            const changes = await fakeChanges(oldEvent);
            const bookedNew = changes.find((change) => change.change === 'booked' && change.event === newEvent);
            const cancelledOld = changes.find((change) => change.change === 'canceled' && change.event === oldEvent);
            assert.ok(bookedNew && cancelledOld, JSON.stringify(changes));
            assert.ok(bookedNew.sequence < cancelledOld.sequence, JSON.stringify(changes));
            assert.match(cancelledOld.reason, /Rescheduled by the invitee/);

            // The card now shows the new time, marked moved, with an .ics of it.
            await first.locator('.badge.moved').waitFor();
            assert.equal(await first.locator('.when').innerText(), newWhen);
            await first.locator('.booking-note').filter({ hasText: 'Moved to' }).waitFor();
            const [download] = await Promise.all([tab.waitForEvent('download'), first.getByRole('link', { name: /Add to calendar/ }).click()]);
            const ics = icsEvent(await readFile(await download.path(), 'utf8'));
            assert.equal(icsDate(ics.DTSTART).getTime(), new Date(moved).getTime());
            assert.equal(icsDate(ics.DTEND).getTime(), new Date(moved).getTime() + 30 * 60_000);
        });

        await step('Cancel asks in the page, and the confirmed cancellation marks the card', async () => {
            const second = tab.locator('li.my-booking').nth(1);
            const event = toolResults('find_my_bookings')[1].result.bookings[1].event;
            const cancel = second.getByRole('button', { name: /^Cancel/ });
            // "Keep it" (here Escape) changes nothing and gives the focus back.
            await cancel.click();
            await second.getByRole('group').waitFor();
            await tab.keyboard.press('Escape');
            assert.equal(await second.getByRole('group').count(), 0);
            assert.equal(await cancel.evaluate((b) => b === document.activeElement), true);
            await cancel.click();
            const when = whenText(new Date(booked[1]), new Date(new Date(booked[1]).getTime() + 30 * 60_000));
            assert.equal(await second.locator('.confirm-question').innerText(), `Cancel the 30 Minute Meeting on ${when}?`);
            await second.getByRole('button', { name: 'Yes, cancel it' }).click();
            const result = await nextResult('cancel_booking', 0);
            assert.equal(result.arguments.confirmed, true);
            assert.equal(result.result.cancelled, true, JSON.stringify(result.result));
            await second.locator('.badge.cancelled').waitFor();
            assert.equal(await second.getAttribute('data-status'), 'canceled');
            assert.equal(await second.getByRole('button').count(), 0, 'a cancelled booking keeps no buttons');
            assert.match(await second.locator('.booking-note').innerText(), /Cancelled/);
            const changes = await fakeChanges(event);
            assert.ok(changes.some((change) => change.change === 'canceled' && change.event === event), JSON.stringify(changes));
            await answers().filter({ hasText: 'Cancelled the 30 Minute Meeting' }).waitFor();
            await expectAccessible('changed');
            await shoot('changed', [], '.card.my-bookings');
        });

        await step('a refused or unconfirmed change leaves the card as it was; a group meeting offers only its own links', async () => {
            // The page's own module, fed the answers a real model's calls can bring.
            const drawn = await tab.evaluate(async () => {
                const { ManageBooking } = await import('/manage_booking.js');
                const container = document.createElement('ol');
                const view = { addFinding: () => container.appendChild(document.createElement('li')) };
                const manage = new ManageBooking(view, { sendText: () => true, timeZone: () => 'UTC' });
                const booking = (uuid, shared) => ({
                    event: `https://api.calendly.com/scheduled_events/${uuid}`, name: '30 Minute Meeting',
                    start_time: '2030-01-07T10:00:00Z', end_time: '2030-01-07T10:30:00Z', shared_with_others: shared,
                    cancel_url: `https://calendly.com/cancellations/${uuid}`, reschedule_url: `https://calendly.com/reschedulings/${uuid}`,
                });
                manage.handle({ type: 'calrt.tool_result', name: 'find_my_bookings', result: { email: 'a@example.com', bookings: [booking('EV1', false), booking('EV2', true)] } });
                manage.handle({ type: 'calrt.tool_result', name: 'cancel_booking', arguments: { event: 'EV1' }, result: { error: { code: 'too_late_to_change', message: 'It is too close to the start.' } } });
                const afterRefusal = { note: container.querySelector('[data-event="EV1"] .booking-note').textContent, buttons: container.querySelectorAll('[data-event="EV1"] button').length };
                manage.handle({ type: 'calrt.tool_result', name: 'reschedule_booking', arguments: { event: 'EV1', new_start_time: '2030-01-08T10:00:00Z' }, result: { confirmation_needed: true, message: 'Nothing is changed yet.' } });
                const afterQuestion = { note: container.querySelector('[data-event="EV1"] .booking-note').textContent, when: container.querySelector('[data-event="EV1"] .when').textContent, status: container.querySelector('[data-event="EV1"]').dataset.status };
                const group = container.querySelector('[data-event="EV2"]');
                return { afterRefusal, afterQuestion, groupButtons: group.querySelectorAll('button').length, groupLinks: [...group.querySelectorAll('a[href^="https:"]')].map((a) => a.href) };
            });
            assert.deepEqual(drawn.afterRefusal, { note: 'Not cancelled: It is too close to the start.', buttons: 2 });
            assert.match(drawn.afterQuestion.note, /Nothing is changed yet/);
            assert.equal(drawn.afterQuestion.status, 'active');
            assert.match(drawn.afterQuestion.when, /January 7/);
            assert.equal(drawn.groupButtons, 0, 'no Cancel or Reschedule that would end a group meeting for everyone');
            assert.deepEqual(drawn.groupLinks, ['https://calendly.com/reschedulings/EV2', 'https://calendly.com/cancellations/EV2']);
        });

        await step('the page logged no errors and the service refused nothing', () => {
            assert.deepEqual(problems, []);
            assert.deepEqual(events.filter((event) => event.type === 'error'), []);
        });
    } finally {
        if (failed) {
            console.error(`--- the page's conversation:\n${await tab.locator('#messages').innerText().catch(() => '')}`);
            console.error(`--- the page's errors:\n${problems.join('\n')}`);
            console.error(`--- the service's stderr:\n${service.log}`);
            console.error(`--- the SMTP server's stderr:\n${smtp.log}`);
        }
    }
});
