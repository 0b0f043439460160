// Checks the chat page tests share: axe-core's accessibility rules, the layout at a phone's width,
// screenshots for a person to look at, and reading an iCalendar file.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The violations of impact "serious" or "critical" on the page as it is now. axe is evaluated
// through the DevTools protocol, which the page's Content-Security-Policy does not govern.
export async function seriousAccessibilityViolations(page) {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            nodes: violation.nodes.map((node) => node.target.join(' ')),
        }));
    });
    return violations.filter((violation) => ['serious', 'critical'].includes(violation.impact));
}

// Whether the page scrolls sideways at its current width.
export function scrollsSideways(page) {
    return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

// Screenshots `<dir>/<name>-1280.png` and `<name>-360.png`; returns whether the 360 px layout
// scrolls sideways. The viewport is put back to 1280 px.
export async function screenshotWidths(page, dir, name) {
    mkdirSync(dir, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-1280.png`) });
    await page.setViewportSize({ width: 360, height: 780 });
    // As on a phone, where the newest card was scrolled into view when it came (the page's panel
    // keeps its scroll position when the window narrows).
    await page.evaluate(() => document.querySelector('#cards')?.lastElementChild?.scrollIntoView({ block: 'nearest' }));
    const sideways = await scrollsSideways(page);
    // The viewport, not fullPage: the page is one screen tall and scrolls inside its panels.
    await page.screenshot({ path: path.join(dir, `${name}-360.png`) });
    await page.setViewportSize({ width: 1280, height: 900 });
    return sideways;
}

// The properties of the first VEVENT of an iCalendar text (RFC 5545: CRLF lines, folded lines
// continue with a space or tab), by name; parameters (";…") are dropped.
export function icsEvent(text) {
    assertCrlf(text);
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
    const begin = lines.indexOf('BEGIN:VEVENT');
    const end = lines.indexOf('END:VEVENT');
    if (lines[0] !== 'BEGIN:VCALENDAR' || begin < 0 || end < begin) throw new Error(`not an iCalendar event:\n${text}`);
    const event = {};
    for (const line of lines.slice(begin + 1, end)) {
        const colon = line.indexOf(':');
        event[line.slice(0, colon).split(';')[0]] = line.slice(colon + 1);
    }
    return event;
}

function assertCrlf(text) {
    if (/[^\r]\n/.test(text)) throw new Error('iCalendar lines must end with CRLF');
}

// 20261130T033000Z -> Date
export function icsDate(value) {
    const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    if (!match) throw new Error(`not a UTC iCalendar date-time: ${value}`);
    const [, y, mo, d, h, mi, s] = match.map(Number);
    return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}
