// The chat page (web/) in a real Chromium against the real service binary in sandbox mode, over
// real sockets: typed questions with tool activity, a booking confirmed live by its webhook,
// voice from a fake microphone, and the service's shutdown as the page shows it; then, in a
// browser set to Asia/Kolkata, booking by pressing buttons: the slot picker, the booking card, its
// .ics file, the time zone picker, axe-core's accessibility check, and screenshots of each state
// at 360 × 780 and 1280 × 800 (in <build>/screenshots/) with the layout a phone needs: what the tools
// found drawn in the conversation, which keeps at least half the height and is the only scrolling
// area, and the newest card in view.
//
//   node tests/browser/chat_page.test.mjs <path/to/calendly-realtime> [<source dir>]
//
// Needs Chromium (/usr/bin/chromium, or $CHROMIUM) and `npm ci --prefix tests/browser`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ServiceProcess } from './service_process.mjs';
import { icsDate, icsEvent, screenshotWidths, seriousAccessibilityViolations } from './page_checks.mjs';

// ctest reports this exit code as "skipped" (SKIP_RETURN_CODE in tests/CMakeLists.txt).
const SKIPPED = 77;
const [binary, sourceArgument] = process.argv.slice(2);
if (!binary) {
    console.error('usage: node chat_page.test.mjs <calendly-realtime binary> [<source dir>]');
    process.exit(2);
}
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const { chromium } = await import('playwright-core').catch(() => ({}));
if (!chromium || !existsSync(chromiumPath)) {
    console.error(`skipped: needs ${chromiumPath} and playwright-core (scripts/install-deps.sh)`);
    process.exit(SKIPPED);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(sourceArgument ?? path.join(here, '../..'));
const WAIT_MS = 10_000;
const screenshotDir = path.join(path.dirname(path.resolve(binary)), 'screenshots');

// The first conversation sends eight messages within a few seconds (a person types far slower):
// a burst of 10 instead of 5 keeps the relay's per-minute message limit out of its way.
const service = new ServiceProcess(binary, path.join(sourceDir, 'web'), { REALTIME_RESPONSE_BURST: '10' });
// Stopped by ctest's timeout or ^C: the service must not outlive the test (playwright closes
// the browser on its own).
process.on('exit', () => service.kill());
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));

let browser;
let page;
let pageHeaders = {}; // of the page itself (GET /)
let failed = false;
const pageProblems = []; // uncaught exceptions and console errors
// The relay WebSocket's frames as the page sent (with the time) and received them.
const sent = [];
const received = [];

before(async () => {
    const port = await service.start(WAIT_MS);
    browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
            '--use-fake-ui-for-media-stream', // allow the microphone without a prompt
            '--use-fake-device-for-media-stream', // a microphone that beeps
            '--no-sandbox', // runs as root in containers
        ],
    });
    const origin = `http://127.0.0.1:${port}`;
    const context = await browser.newContext();
    await context.grantPermissions(['microphone'], { origin });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
        if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
    });
    // Whatever the Content-Security-Policy refuses (Chromium also logs it as a console error).
    await page.addInitScript(() => {
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (event) => {
            window.cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI}`);
        });
    });
    page.on('websocket', (socket) => {
        socket.on('framesent', ({ payload }) => {
            sent.push({ ...JSON.parse(payload), sentAt: Date.now() });
        });
        socket.on('framereceived', ({ payload }) => received.push(JSON.parse(payload)));
    });
    const response = await page.goto(`${origin}/`);
    pageHeaders = response.headers();
});

after(async () => {
    if (failed) {
        const shown = await page?.locator('#messages').innerText().catch(() => '');
        console.error(`--- the page's conversation:\n${shown}`);
        console.error(`--- the service's stderr:\n${service.log}`);
    }
    await browser?.close();
    await service.stop();
});

// Bubbles the assistant has finished, in order.
const finishedAnswers = () => page.locator('.message.assistant.done');
const messageBox = () => page.getByLabel('Message to the assistant');
const voiceButton = () => page.getByRole('button', { name: 'Voice' });

// Types `text` as a person would and returns the text of the assistant's next finished bubble.
async function ask(text) {
    const before = await finishedAnswers().count();
    await messageBox().fill(text);
    await messageBox().press('Enter');
    await page.locator('.message.user').filter({ hasText: text }).waitFor();
    return answerAt(before);
}

// The text of the assistant's bubble number `index` (from 0), once finished.
async function answerAt(index) {
    const answer = finishedAnswers().nth(index);
    await answer.waitFor();
    return answer.locator('.body').innerText();
}

async function expectActivityDone(tool, label) {
    const line = page.locator(`.activity[data-tool="${tool}"]`).last();
    await line.and(page.locator('[data-state="done"]')).waitFor();
    assert.equal(await line.innerText(), label);
}

// Polls `condition` until it holds: for what the page sends, which has no DOM to wait on.
async function waitUntil(condition, ms = WAIT_MS) {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

// Whether an input_audio_buffer.append carries sound rather than silence.
function isAudible(append) {
    const bytes = Buffer.from(append.audio, 'base64');
    const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    return samples.some((sample) => Math.abs(sample) > 1000);
}

const outputModalities = (event) =>
    event.type === 'session.update' ? event.session.output_modalities?.join() : undefined;

test('the chat page books by text and talks by voice with the sandbox service', async (t) => {
    // The steps build on each other: after a failure the rest are skipped, not timed out.
    const step = (name, body) =>
        t.test(name, { skip: failed && 'an earlier step failed' }, async () => {
            try {
                await body();
            } catch (error) {
                failed = true;
                throw error;
            }
        });

    await step('connects and says it is the sandbox', async () => {
        await page.locator('#status[data-state="connected"]').waitFor();
        assert.equal(await page.locator('#status').innerText(), 'Connected');
        await page.locator('#sandbox-note').waitFor({ state: 'visible' });
        // A page for reading asks for written answers (the session speaks by default).
        const { sentAt, ...first } = sent[0];
        assert.deepEqual(first, {
            type: 'session.update',
            session: { type: 'realtime', output_modalities: ['text'] },
        });
    });

    await step('a typed question shows the tool at work and the answer', async () => {
        const answer = await ask('What meeting types are there?');
        assert.match(answer, /30 Minute Meeting/);
        await expectActivityDone('get_available_meeting_types', 'Looked up meeting types');
    });

    await step('a booking link in an answer is a safe link', async () => {
        const answer = await ask('Schedule a call, my name is Grace Hopper, grace@example.com');
        await expectActivityDone('schedule_call', 'Created your booking link');
        const link = finishedAnswers().last().locator('a[href^="http"]');
        assert.equal(await link.count(), 1, answer);
        assert.ok(answer.includes(await link.getAttribute('href')), answer);
        assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    });

    await step('a booking is made, then confirmed live without typing', async () => {
        const availability = await ask('Is the 30 minute meeting available?');
        await expectActivityDone('check_meeting_availability', 'Checked availability');
        const phrase = /say: "([^"]+)"/.exec(availability)?.[1];
        assert.ok(phrase, availability);
        const booking = phrase
            .replace('<your name>', 'Ada Lovelace')
            .replace('<your email>', 'ada@example.com');

        const answersBefore = await finishedAnswers().count();
        const booked = await ask(booking);
        // "here is what I found: null" instead means the live confirmation's response.create went
        // upstream before book_meeting's output (the webhook arrives while the tool still runs).
        assert.match(booked, /^Sandbox assistant.*Booked: the 30 Minute Meeting/s);
        await expectActivityDone('book_meeting', 'Booked the meeting');

        // The webhook may be back before this line runs: the bubble after "Booked" is the one.
        const confirmation = await answerAt(answersBefore + 1);
        assert.match(confirmation, /good news/);
        assert.match(confirmation, /ada@example\.com/);
    });

    await step('a person proves their email with the sandbox code and then hears their booking', async () => {
        // Sandbox mode mails nothing: the code appears on the page as a card marked sandbox.
        const offered = await ask('Manage my booking, ada@example.com');
        assert.match(offered, /I sent a 6-digit code to ada@example\.com/);
        const card = page.locator('.card.sandbox-code');
        await card.waitFor();
        const code = (await card.locator('.code').innerText()).trim();
        assert.match(code, /^\d{6}$/);
        // The model never sees the code: only the relay's sandbox event carries it.
        const results = received.filter((event) => event.type === 'calrt.tool_result');
        assert.ok(results.every((event) => !JSON.stringify(event).includes(code)), 'a tool result carried the code');
        assert.match(await ask(`My code is ${code}`), /ada@example\.com is verified for this conversation/);
        assert.match(await ask('Show my bookings'), /One upcoming meeting: the 30 Minute Meeting on/);
    });

    await step('voice on streams the microphone and the answer is spoken', async () => {
        const finished = await finishedAnswers().count();
        const sentBefore = sent.length;
        await voiceButton().click();
        await page.locator('#mic[aria-pressed="true"]').waitFor();
        assert.match(await answerAt(finished), /cannot hear audio in the sandbox/);
        // Spoken answers were asked for before any audio went up.
        assert.equal(outputModalities(sent[sentBefore]), 'audio', JSON.stringify(sent[sentBefore]));
        // The notice came spoken: audio chunks with a transcript.
        assert.ok(received.some((event) => event.type === 'response.output_audio.delta'));
        assert.ok(received.some((event) => event.type === 'response.output_audio_transcript.done'));

        // The microphone keeps streaming: 100 ms chunks of 24 kHz PCM16 mono (4800 bytes) ten
        // times a second, some with the fake device's beep in them.
        const appends = () =>
            sent.slice(sentBefore).filter((event) => event.type === 'input_audio_buffer.append');
        const spanMs = (chunks) => chunks.at(-1).sentAt - chunks[0].sentAt;
        await waitUntil(() => {
            const chunks = appends();
            return chunks.length > 1 && spanMs(chunks) >= 1000 && chunks.some(isAudible);
        });
        const chunks = appends();
        const perSecond = ((chunks.length - 1) * 1000) / spanMs(chunks);
        // Wide bounds for a busy machine; without resampling it would be 18 or 20 a second.
        assert.ok(perSecond > 5 && perSecond < 15, `${perSecond} chunks per second`);
        for (const chunk of chunks) assert.equal(Buffer.from(chunk.audio, 'base64').length, 4800);

        const sentBeforeOff = sent.length;
        await voiceButton().click();
        await page.locator('#mic[aria-pressed="false"]').waitFor();
        const offEvents = sent
            .slice(sentBeforeOff)
            .filter((event) => event.type !== 'input_audio_buffer.append');
        assert.deepEqual(
            offEvents.map((event) => outputModalities(event) ?? event.type),
            ['input_audio_buffer.clear', 'text'],
        );
    });

    await step('the service shutting down ends the session with its reason', async () => {
        service.signal('SIGTERM');
        await page.locator('#status[data-state="closed"]').waitFor();
        assert.match(await page.locator('#status').innerText(), /server shutting down/);
        await page.getByRole('button', { name: 'Reconnect' }).waitFor({ state: 'visible' });
        assert.equal(await messageBox().isDisabled(), true);
        assert.deepEqual(await service.exit, { code: 0, signal: null });
    });

    await step('the service refused none of the events the page sent', () => {
        assert.deepEqual(received.filter((event) => event.type === 'error'), []);
    });

    await step('the page ran under its Content-Security-Policy and nothing was refused', async () => {
        assert.match(pageHeaders['content-security-policy'] ?? '', /frame-ancestors 'none'/);
        assert.match(pageHeaders['content-security-policy'] ?? '', /script-src 'self'/);
        assert.equal(pageHeaders['x-frame-options'], 'DENY');
        assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    });

    await step('the page logged no errors', () => {
        assert.deepEqual(pageProblems, []);
    });

    // Last: the failed connection attempt logs browser errors of its own.
    await step('reconnecting to a stopped service says it cannot be reached', async () => {
        await page.getByRole('button', { name: 'Reconnect' }).click();
        await page.locator('.system.error').filter({ hasText: 'cannot be reached' }).waitFor();
        assert.match(await page.locator('#status').innerText(), /could not connect/);
    });
});

test('in Asia/Kolkata the page books by clicking and shows the booking in local time', async (t) => {
    const zone = 'Asia/Kolkata';
    const own = new ServiceProcess(binary, path.join(sourceDir, 'web'));
    const problems = [];
    const events = []; // the relay's frames the page received
    const relayUrls = [];
    let stepFailed = false;
    const step = (name, body) =>
        t.test(name, { skip: stepFailed && 'an earlier step failed' }, async () => {
            try {
                await body();
            } catch (error) {
                stepFailed = true;
                throw error;
            }
        });
    const port = await own.start(WAIT_MS);
    const context = await browser.newContext({
        timezoneId: zone,
        locale: 'en-US',
        viewport: { width: 1280, height: 800 },
        acceptDownloads: true,
    });
    const tab = await context.newPage();
    tab.setDefaultTimeout(WAIT_MS);
    tab.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    tab.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    tab.on('websocket', (socket) => {
        relayUrls.push(socket.url());
        socket.on('framereceived', ({ payload }) => events.push(JSON.parse(payload)));
    });
    const toolResults = (name) => events.filter((e) => e.type === 'calrt.tool_result' && e.name === name);
    const local = (options) => new Intl.DateTimeFormat('en-US', { timeZone: zone, ...options });
    const clock = local({ hour: 'numeric', minute: '2-digit' });
    const expectAccessible = async (state) => {
        assert.deepEqual(await seriousAccessibilityViolations(tab), [], `axe, ${state}`);
    };
    // Screenshots at both widths, and what a phone needs in every state: no sideways scrolling,
    // the conversation the only scrolling area (no second column or panel) with at least half the
    // height at 360 px, and each of `inView` (the newest match) inside it without scrolling.
    const shoot = async (state, inView = []) => {
        const layouts = await screenshotWidths(tab, screenshotDir, state, inView);
        for (const [width, layout] of Object.entries(layouts)) {
            const where = `${state} at ${width} px: ${JSON.stringify(layout)}`;
            assert.equal(layout.sideways, false, `scrolls sideways, ${where}`);
            assert.equal(layout.pageScrolls, false, `the page itself scrolls, ${where}`);
            assert.deepEqual(layout.scrollers.filter((name) => name !== 'chat'), [], `a second scrolling area, ${where}`);
            for (const [selector, shown] of Object.entries(layout.inView)) assert.ok(shown, `${selector} not in view, ${where}`);
        }
        const phone = layouts[360];
        assert.ok(phone.chatHeight >= phone.viewportHeight / 2, `the conversation has ${phone.chatHeight} of ${phone.viewportHeight} px in ${state}`);
    };
    const typeMessage = async (text) => {
        await tab.getByLabel('Message to the assistant').fill(text);
        await tab.getByLabel('Message to the assistant').press('Enter');
    };
    const assistantAnswers = () => tab.locator('.message.assistant.done');
    let pressed; // the slot button's exact start time

    try {
        await tab.goto(`http://127.0.0.1:${port}/`);

        let shownZone; // as the page names it (Chromium may say Asia/Calcutta)
        await step('the session opens with the browser time zone, shown and changeable', async () => {
            await tab.locator('#status[data-state="connected"]').waitFor();
            shownZone = await tab.getByLabel('Your time zone').inputValue();
            // Chromium may name the zone by its older alias; both are the same zone.
            assert.match(shownZone, /^Asia\/(Kolkata|Calcutta)$/);
            assert.equal(new URL(relayUrls[0]).searchParams.get('tz'), shownZone);
            await expectAccessible('start');
            await shoot('start');
        });

        await step('the meeting types appear in the conversation, after the lookup that found them', async () => {
            const before = await assistantAnswers().count();
            await typeMessage('What meeting types are there?');
            await assistantAnswers().nth(before).waitFor();
            // The card is a message of its own, right after its tool's activity line.
            const card = tab.locator('#messages > .activity[data-tool="get_available_meeting_types"] + li.finding > .card.meeting-types');
            await card.waitFor();
            assert.ok((await card.getByRole('button', { name: /Show times for the 30 Minute Meeting/ }).count()) === 1);
            await expectAccessible('types listed');
            await shoot('types', ['.card.meeting-types h2']);
        });

        let starts; // every open start the tool found
        await step('asking for times shows a day picker: a row of days, then that day\'s times in local time', async () => {
            const before = await assistantAnswers().count();
            await typeMessage('Is the 30 minute meeting available?');
            await assistantAnswers().nth(before).waitFor();
            const card = tab.locator('#messages > .activity[data-tool="check_meeting_availability"] + li.finding > .card.slots');
            await card.waitFor();
            const [result] = toolResults('check_meeting_availability');
            starts = result.result.days.flatMap((day) => day.slots);
            assert.ok(starts.length > 5, 'all of them, not the handful the answer says aloud');
            // Every open time is a button, grouped into one tab panel per local day.
            assert.equal(await card.locator('button.slot').count(), starts.length);
            const dayKey = local({ year: 'numeric', month: '2-digit', day: '2-digit' });
            const localDays = [...new Set(starts.map((start) => dayKey.format(new Date(start))))];
            const tabs = card.getByRole('tab');
            assert.equal(await tabs.count(), localDays.length);
            assert.ok(localDays.length > 1, 'several days to pick from');
            assert.equal(await card.getByRole('tablist').getAttribute('aria-label'), 'Days with open times for the 30 Minute Meeting');
            // The first day is chosen: its times are the ones shown, in local time.
            assert.equal(await tabs.first().getAttribute('aria-selected'), 'true');
            assert.equal(await card.getByRole('tabpanel').count(), 1, 'one day\'s times at a time');
            const panel = card.getByRole('tabpanel');
            const firstDayStarts = starts.filter((start) => dayKey.format(new Date(start)) === localDays[0]);
            assert.equal(await panel.locator('button.slot').count(), firstDayStarts.length);
            const first = await panel.locator('button.slot').first().getAttribute('data-start');
            assert.equal(first, firstDayStarts[0]);
            assert.equal(await panel.locator('button.slot').first().innerText(), clock.format(new Date(first)));
            const firstDay = local({ weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(first));
            assert.equal(await panel.locator('h3').innerText(), firstDay);
            assert.match(await tabs.first().innerText(), new RegExp(`${firstDayStarts.length} times?$`));
            assert.equal(await panel.getAttribute('aria-labelledby'), await tabs.first().getAttribute('id'));

            // The sandbox assistant's own words name the same zone and days as the card (it used
            // the host's zone before: America/New_York).
            const answer = await assistantAnswers().nth(before).innerText();
            assert.match(answer, new RegExp(`in ${shownZone} time: ${firstDay}:`), answer);
            assert.equal(result.arguments.timezone, shownZone);

            await expectAccessible('slots shown');
            await shoot('slots', ['.card.slots [role="tablist"]', '.card.slots [role="tabpanel"]:not([hidden]) li:first-child button.slot']);
            // Dark mode: the same checks (axe's contrast rule above all) and a look at it.
            await tab.emulateMedia({ colorScheme: 'dark' });
            await expectAccessible('slots shown, dark');
            await shoot('slots-dark');
            await tab.emulateMedia({ colorScheme: 'light' });
        });

        await step('the day picker works from the keyboard: arrows choose the day, Tab reaches its times', async () => {
            const card = tab.locator('.card.slots');
            const tabs = card.getByRole('tab');
            const count = await tabs.count();
            await tabs.first().focus();
            await tab.keyboard.press('ArrowRight');
            const selected = async () => card.locator('[role="tab"][aria-selected="true"]').getAttribute('id');
            assert.equal(await selected(), await tabs.nth(1).getAttribute('id'));
            assert.equal(await tab.evaluate(() => document.activeElement.getAttribute('aria-selected')), 'true');
            // Only the chosen day is in the Tab order.
            assert.deepEqual(await tabs.evaluateAll((all) => all.map((t) => t.tabIndex)), Array.from({ length: count }, (_, i) => (i === 1 ? 0 : -1)));
            await tab.keyboard.press('End');
            assert.equal(await selected(), await tabs.nth(count - 1).getAttribute('id'));
            await tab.keyboard.press('Home');
            assert.equal(await selected(), await tabs.first().getAttribute('id'));
            await tab.keyboard.press('ArrowLeft'); // wraps to the last day
            assert.equal(await selected(), await tabs.nth(count - 1).getAttribute('id'));
            // A click chooses a day too.
            await tabs.nth(1).click();
            assert.equal(await selected(), await tabs.nth(1).getAttribute('id'));
            const panel = card.getByRole('tabpanel');
            assert.equal(await panel.getAttribute('aria-labelledby'), await tabs.nth(1).getAttribute('id'));
        });

        await step('a slot pressed from the keyboard asks to book it, and the name and email book it', async () => {
            // From the chosen day (the second): Tab leaves the row of days for that day's times.
            await tab.locator('.card.slots [role="tab"][aria-selected="true"]').focus();
            await tab.keyboard.press('Tab');
            const slot = tab.locator('.card.slots [role="tabpanel"]:not([hidden]) button.slot').first();
            assert.equal(await slot.evaluate((button) => button === document.activeElement), true, 'Tab reaches the day\'s first time');
            pressed = await slot.getAttribute('data-start');
            const before = await assistantAnswers().count();
            await tab.keyboard.press('Enter');
            await tab.locator('.message.user').filter({ hasText: pressed }).waitFor();
            assert.equal(await tab.locator(`.card.slots button.slot[data-start="${pressed}"]`).getAttribute('aria-pressed'), 'true');
            assert.equal(await tab.locator('.card.slots button.slot[aria-pressed="true"]').count(), 1);
            await assistantAnswers().nth(before).waitFor();
            assert.match(await assistantAnswers().nth(before).innerText(), /name and email/);
            assert.equal(toolResults('book_meeting').length, 0, 'nothing booked before the person confirmed');

            await typeMessage('My name is Ada Lovelace, ada@example.com');
            await tab.locator('.card.booking').waitFor();
            // The webhook's confirmation may draw the card before the tool's result arrives.
            await waitUntil(() => toolResults('book_meeting').length > 0);
            const [booked] = toolResults('book_meeting');
            assert.equal(booked.result.booked, true, JSON.stringify(booked.result));
            assert.equal(new Date(booked.result.start_time).getTime(), new Date(pressed).getTime());
        });

        await step('the booking card shows the meeting in local time with its links', async () => {
            // Calendly's webhook confirms it live; the card then also says where to meet.
            await waitUntil(() => events.some((event) => event.type === 'calrt.booking_confirmed'));
            const card = tab.locator('.card.booking');
            assert.equal(await card.count(), 1, 'one card for the booking and its confirmation');
            const start = new Date(pressed);
            const end = new Date(start.getTime() + 30 * 60_000);
            const when = await card.locator('.when').innerText();
            const date = local({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(start);
            assert.equal(when, `${date}, ${clock.format(start)} – ${clock.format(end)}`);
            // Not the UTC time: a card that ignored the zone would show this.
            assert.notEqual(clock.format(start), new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' }).format(start));
            assert.match(await card.innerText(), /30 Minute Meeting/);
            for (const name of [/Reschedule 30 Minute Meeting/, /Cancel 30 Minute Meeting/]) {
                const link = card.getByRole('link', { name });
                assert.match(await link.getAttribute('href'), /^https?:\/\//);
                assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
            }
        });

        await step('a confirmation that comes before the tool result gets one card, which the result completes', async () => {
            // The page's own module, fed the two events in the order the race can bring them.
            const drawn = await tab.evaluate(async () => {
                const { ToolResults } = await import('/tool_results.js');
                const container = document.createElement('ol');
                const view = { addFinding: () => container.appendChild(document.createElement('li')) };
                const cards = new ToolResults(view, { sendText: () => true, timeZone: () => 'UTC' });
                const invitee = 'https://api.calendly.com/scheduled_events/EV1/invitees/IN1';
                const start_time = '2030-01-07T10:00:00.000000Z';
                cards.handle({ type: 'calrt.booking_confirmed', invitee, event_name: '30 Minute Meeting', start_time, end_time: '2030-01-07T10:30:00.000000Z', location: { type: 'zoom_conference', join_url: 'https://zoom.example/j/1' } });
                const before = container.querySelectorAll('.card.booking').length;
                cards.handle({ type: 'calrt.tool_result', name: 'book_meeting', result: { booked: true, invitee, start_time, event_type: { name: '30 Minute Meeting', duration_minutes: 30 }, cancel_url: 'https://calendly.com/cancellations/IN1', reschedule_url: 'https://calendly.com/reschedulings/IN1' } });
                return { before, after: container.querySelectorAll('.card.booking').length, links: [...container.querySelectorAll('a')].map((a) => a.href) };
            });
            assert.equal(drawn.before, 1, 'the confirmation draws the card');
            assert.equal(drawn.after, 1, 'the tool result completes it rather than adding a second');
            assert.ok(drawn.links.includes('https://zoom.example/j/1'), drawn.links.join(' '));
            assert.ok(drawn.links.includes('https://calendly.com/cancellations/IN1'), drawn.links.join(' '));
        });

        await step('"Add to calendar" downloads an .ics with the same times in UTC', async () => {
            const [download] = await Promise.all([
                tab.waitForEvent('download'),
                tab.getByRole('link', { name: /Add to calendar: 30 Minute Meeting/ }).click(),
            ]);
            assert.match(download.suggestedFilename(), /\.ics$/);
            const text = await readFile(await download.path(), 'utf8');
            const event = icsEvent(text);
            assert.equal(icsDate(event.DTSTART).getTime(), new Date(pressed).getTime());
            assert.equal(icsDate(event.DTEND).getTime(), new Date(pressed).getTime() + 30 * 60_000);
            assert.match(event.UID, /@calendly-realtime$/);
            assert.ok(event.DTSTAMP && event.SUMMARY === '30 Minute Meeting', text);
        });

        await step('the booked state is accessible and the booking card is on screen, also on a phone', async () => {
            // After the answer and the live confirmation below it, the card is still in view.
            await waitUntil(() => events.some((event) => event.type === 'calrt.booking_confirmed'));
            await assistantAnswers().filter({ hasText: 'good news' }).waitFor();
            await expectAccessible('booked');
            await shoot('booked', ['.card.booking']);
        });

        await step('every control is reached with Tab, with a visible focus ring', async () => {
            const box = tab.getByLabel('Message to the assistant');
            await box.focus();
            const reached = new Set();
            for (let i = 0; i < 400; ++i) {
                await tab.keyboard.press('Tab');
                const focused = await tab.evaluate(() => {
                    const element = document.activeElement;
                    if (!element || element === document.body) return null; // between the page's ends
                    const style = getComputedStyle(element);
                    return { name: element.getAttribute('aria-label') ?? element.id, outline: style.outlineStyle };
                });
                if (!focused) continue;
                if (focused.name) reached.add(focused.name);
                if (focused.name === 'Message to the assistant' && i > 0) break;
                assert.notEqual(focused.outline, 'none', `no focus ring on ${focused.name}`);
            }
            for (const name of ['time-zone', 'Add to calendar: 30 Minute Meeting (.ics file)', 'Reschedule 30 Minute Meeting on Calendly', 'Voice', 'send']) {
                assert.ok(reached.has(name), `${name} not reached by Tab: ${[...reached].join(' | ')}`);
            }
        });

        await step('another time zone redraws the card and opens a session with it', async () => {
            await tab.getByLabel('Your time zone').selectOption('Europe/Berlin');
            await tab.locator('.system').filter({ hasText: 'Your time zone is now Europe/Berlin' }).waitFor();
            await tab.locator('#status[data-state="connected"]').waitFor();
            assert.equal(new URL(relayUrls.at(-1)).searchParams.get('tz'), 'Europe/Berlin');
            const berlin = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', hour: 'numeric', minute: '2-digit' });
            assert.match(await tab.locator('.card.booking .when').innerText(), new RegExp(berlin.format(new Date(pressed))));
            // The day picker is redrawn in Berlin time too, still on the day of the time pressed.
            const chosen = tab.locator('.card.slots button.slot[aria-pressed="true"]');
            assert.equal(await chosen.getAttribute('data-start'), pressed);
            assert.equal(await chosen.isVisible(), true);
            assert.equal(await chosen.innerText(), berlin.format(new Date(pressed)));
        });

        await step('the page logged no errors and the service refused nothing', () => {
            assert.deepEqual(problems, []);
            assert.deepEqual(events.filter((event) => event.type === 'error'), []);
        });
    } finally {
        if (stepFailed) {
            console.error(`--- the page's conversation:\n${await tab.locator('#messages').innerText().catch(() => '')}`);
            console.error(`--- the page's errors:\n${problems.join('\n')}`);
            console.error(`--- the service's stderr:\n${own.log}`);
        }
        await context.close();
        await own.stop();
    }
});
