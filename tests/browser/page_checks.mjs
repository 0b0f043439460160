// Checks the chat page tests share: axe-core's accessibility rules, the layout at a phone's and a
// desktop's size, screenshots for a person to look at, and reading an iCalendar file.
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

// The sizes every state is checked and shown at: a common phone and a laptop.
export const VIEWPORTS = [
    { width: 1280, height: 800 },
    { width: 360, height: 780 },
];

// Resolves once the page has drawn twice: resize observers have run and the layout has settled.
export function settled(page) {
    return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

// The page's layout as a person sees it: whether it scrolls sideways or as a whole, the areas that
// scroll (by id or class; form fields left out), the conversation's height, and for each selector
// whether its newest match lies wholly inside the conversation's visible area.
function layoutOf(page, inView) {
    return page.evaluate((selectors) => {
        const root = document.documentElement;
        const chat = document.querySelector('.chat').getBoundingClientRect();
        const scrollers = [...document.body.querySelectorAll('*')]
            .filter((element) => !['TEXTAREA', 'SELECT'].includes(element.tagName))
            .filter((element) => {
                const style = getComputedStyle(element);
                const scrolls = (overflow) => overflow === 'auto' || overflow === 'scroll';
                return (
                    (scrolls(style.overflowY) && element.scrollHeight > element.clientHeight + 1) ||
                    (scrolls(style.overflowX) && element.scrollWidth > element.clientWidth + 1)
                );
            })
            .map((element) => element.id || element.className || element.tagName);
        const shown = {};
        for (const selector of selectors) {
            const box = [...document.querySelectorAll(selector)].at(-1)?.getBoundingClientRect();
            shown[selector] = !!box && box.height > 0 && box.top >= chat.top - 1 && box.bottom <= chat.bottom + 1;
        }
        return {
            viewportHeight: window.innerHeight,
            chatHeight: Math.round(chat.height),
            sideways: root.scrollWidth > root.clientWidth,
            pageScrolls: root.scrollHeight > root.clientHeight,
            scrollers,
            inView: shown,
        };
    }, inView);
}

// Screenshots `<dir>/<name>-1280.png` and `<name>-360.png` (the viewport, not the full page: the
// page is one screen tall and scrolls inside its conversation), each as the page lays itself out
// after the window changed size; returns the layout at each width (layoutOf), keyed by width. The
// viewport is put back to 1280 × 800.
export async function screenshotWidths(page, dir, name, inView = []) {
    mkdirSync(dir, { recursive: true });
    const layouts = {};
    for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        await settled(page);
        layouts[viewport.width] = await layoutOf(page, inView);
        await page.screenshot({ path: path.join(dir, `${name}-${viewport.width}.png`) });
    }
    await page.setViewportSize(VIEWPORTS[0]);
    await settled(page);
    return layouts;
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
