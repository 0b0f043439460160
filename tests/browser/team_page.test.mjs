// The chat page of an organization (the sandbox organization: SANDBOX_ORGANIZATION=true) in a real
// Chromium against the real binary: the directory of hosts and team meetings at /, a host's own
// page at /hosts/<slug> whose conversation is scoped to that host, a round robin "Sales demo"
// booked by text whose booking card names the host Calendly assigned, and the 404 page of an
// unknown host. Screenshots go to <build>/screenshots/ (team-*.png).
//
//   node tests/browser/team_page.test.mjs <path/to/calendly-realtime> [<source dir>]
//
// Needs Chromium (/usr/bin/chromium, or $CHROMIUM) and `npm ci --prefix tests/browser`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ServiceProcess } from './service_process.mjs';
import { seriousAccessibilityViolations } from './page_checks.mjs';

const SKIPPED = 77;
const [binary, sourceArgument] = process.argv.slice(2);
if (!binary) {
    console.error('usage: node team_page.test.mjs <calendly-realtime binary> [<source dir>]');
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
const SALES_HOSTS = ['Dana Whitfield', 'Marcus Bell', 'Priya Natarajan'];

const service = new ServiceProcess(binary, path.join(sourceDir, 'web'), { SANDBOX_ORGANIZATION: 'true' });
process.on('exit', () => service.kill());
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));

let browser;
let page;
let origin;
let failed = false;
const pageProblems = [];
const relayUrls = [];
const received = [];

before(async () => {
    const port = await service.start(WAIT_MS);
    origin = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    const context = await browser.newContext({ timezoneId: 'Europe/London', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
        if (message.type() === 'error' && !/404/.test(message.text())) pageProblems.push(`console: ${message.text()}`);
    });
    page.on('websocket', (socket) => {
        relayUrls.push(socket.url());
        socket.on('framereceived', ({ payload }) => received.push(JSON.parse(payload)));
    });
    mkdirSync(screenshotDir, { recursive: true });
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

async function step(name, body) {
    try {
        await body();
    } catch (error) {
        failed = true;
        throw new Error(`${name}: ${error.message}`, { cause: error });
    }
}

const assistantAnswers = () => page.locator('.message.assistant.done');
async function say(text) {
    const before = await assistantAnswers().count();
    await page.getByLabel('Message to the assistant').fill(text);
    await page.getByLabel('Message to the assistant').press('Enter');
    await assistantAnswers().nth(before).waitFor();
    return assistantAnswers().nth(before).innerText();
}
const toolResults = (name) => received.filter((event) => event.type === 'calrt.tool_result' && event.name === name);

test('an organization: everyone at /, a host\'s own page, a round robin booked by text naming its host', async () => {
    await step('/ lists every host, each linking to their page, and the team meetings', async () => {
        await page.goto(`${origin}/`);
        const directory = page.locator('#directory');
        await directory.waitFor();
        assert.equal(await directory.getByRole('heading', { level: 2 }).innerText(), 'Who you can book with');
        const links = directory.locator('li.host a');
        assert.deepEqual(await links.allInnerTexts(), ['Alex Rivera', 'Dana Whitfield', 'Marcus Bell', 'Priya Natarajan']);
        assert.equal(await links.nth(1).getAttribute('href'), '/hosts/dana-whitfield');
        const teams = directory.locator('li.team-type');
        assert.equal(await teams.count(), 2);
        const sales = await teams.filter({ hasText: 'Sales demo' }).innerText();
        for (const host of SALES_HOSTS) assert.ok(sales.includes(host), sales);
        assert.match(sales, /whoever is free/);
        assert.match(await teams.filter({ hasText: 'Panel interview' }).innerText(), /all of them together/);
        await page.locator('#status[data-state="connected"]').waitFor();
        assert.equal(new URL(relayUrls.at(-1)).searchParams.get('host'), null, 'the whole organization');
        assert.deepEqual(await seriousAccessibilityViolations(page), [], 'axe, the directory');
        await page.screenshot({ path: path.join(screenshotDir, 'team-directory.png'), fullPage: true });
        // On a phone the directory is one line, and the conversation keeps the room.
        await page.setViewportSize({ width: 360, height: 780 });
        assert.equal(await directory.evaluate((details) => details.open), false);
        await page.screenshot({ path: path.join(screenshotDir, 'team-directory-360.png') });
        await directory.locator('summary').click();
        assert.equal(await directory.evaluate((details) => details.open), true);
        await page.setViewportSize({ width: 1280, height: 800 });
    });

    await step('a host\'s link opens their page, and its conversation offers their meetings only', async () => {
        await page.locator('#directory li.host a', { hasText: 'Dana Whitfield' }).click();
        await page.waitForURL(`${origin}/hosts/dana-whitfield`);
        await page.locator('#status[data-state="connected"]').waitFor();
        assert.equal(await page.locator('#directory h2').innerText(), 'Book with Dana Whitfield');
        assert.equal(new URL(relayUrls.at(-1)).searchParams.get('host'), 'dana-whitfield');
        const answer = await say('What meeting types are there?');
        assert.match(answer, /3 meeting types/, answer);
        assert.match(answer, /30 Minute Meeting with Dana Whitfield/, answer);
        assert.doesNotMatch(answer, /Alex Rivera \(|with Alex Rivera \(/, answer);
        const card = page.locator('.card.meeting-types').last();
        await card.waitFor();
        const salesHosts = await card.locator('li.type', { hasText: 'Sales demo' }).locator('p.hosts').innerText();
        assert.match(salesHosts, /^With .* \(whoever is free\)$/);
        for (const host of SALES_HOSTS) assert.ok(salesHosts.includes(host), salesHosts);
        const [types] = toolResults('get_available_meeting_types').slice(-1);
        const names = types.result.event_types.map((type) => type.name).sort();
        assert.deepEqual(names, ['30 Minute Meeting', 'Panel interview', 'Sales demo']);
        await page.screenshot({ path: path.join(screenshotDir, 'team-host-page.png'), fullPage: true });
    });

    await step('a round robin sales demo booked by text: the card names the host Calendly assigned', async () => {
        await page.goto(`${origin}/`);
        await page.locator('#status[data-state="connected"]').waitFor();
        await say('Is the Sales demo available?');
        const [availability] = toolResults('check_meeting_availability').slice(-1);
        const start = availability.result.days.flatMap((day) => day.slots)[0];
        assert.ok(start, JSON.stringify(availability.result));
        const answer = await say(`Book a Sales demo at ${start}, my name is Ada Lovelace, ada@example.com, Europe/London`);
        const [booked] = toolResults('book_meeting').slice(-1);
        assert.equal(booked.result.booked, true, JSON.stringify(booked.result));
        assert.equal(booked.result.hosts.length, 1);
        const host = booked.result.hosts[0];
        assert.ok(SALES_HOSTS.includes(host), host);
        assert.match(answer, new RegExp(`with ${host}`), answer);
        const card = page.locator('.card.booking').last();
        await card.waitFor();
        assert.equal(await card.locator('dd.hosts').innerText(), host);
        // Calendly's webhook confirms it live and names the same host.
        await page.waitForFunction(() => document.querySelectorAll('.card.booking').length >= 1);
        const deadline = Date.now() + WAIT_MS;
        while (!received.some((event) => event.type === 'calrt.booking_confirmed') && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const confirmed = received.find((event) => event.type === 'calrt.booking_confirmed');
        assert.ok(confirmed, 'the live confirmation arrived');
        assert.deepEqual(confirmed.hosts, [host]);
        assert.equal(await card.locator('dd.hosts').innerText(), host, 'still named after the confirmation');
        assert.deepEqual(await seriousAccessibilityViolations(page), [], 'axe, booked');
        await card.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshotDir, 'team-booked.png'), fullPage: true });
    });

    await step('an unknown host is a 404 page that leads back to everyone', async () => {
        const response = await page.goto(`${origin}/hosts/nobody-here`);
        assert.equal(response.status(), 404);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'No such host');
        await page.getByRole('link', { name: 'See everyone you can book with' }).click();
        await page.waitForURL(`${origin}/`);
    });

    assert.deepEqual(pageProblems, []);
});
