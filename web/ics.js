// "Add to calendar": an iCalendar file (RFC 5545) for a booked meeting, built in the page from the
// booking card's data. Times are written in UTC ("Z" form, RFC 5545 3.3.5), so every calendar
// shows them right in its own zone without a VTIMEZONE block.

// 20261130T033000Z
export function icsUtc(date) {
    return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11).
function escapeText(text) {
    return String(text)
        .replace(/\\/g, '\\\\')
        .replace(/;/g, '\\;')
        .replace(/,/g, '\\,')
        .replace(/\r?\n/g, '\\n');
}

// Content lines longer than 75 octets are folded: CRLF and one space (RFC 5545 3.1).
function fold(line) {
    const bytes = new TextEncoder().encode(line);
    if (bytes.length <= 75) return line;
    const parts = [];
    let current = '';
    let size = 0;
    for (const char of line) {
        const charBytes = new TextEncoder().encode(char).length;
        const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
        if (size + charBytes > limit) {
            parts.push(current);
            current = '';
            size = 0;
        }
        current += char;
        size += charBytes;
    }
    parts.push(current);
    return parts.join('\r\n ');
}

// booking: { uid, title, start: Date, end: Date, location?, url?, description? }
export function icsCalendar(booking, now = new Date()) {
    const lines = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//calendly-realtime//chat page//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'BEGIN:VEVENT',
        `UID:${escapeText(booking.uid)}`,
        `DTSTAMP:${icsUtc(now)}`,
        `DTSTART:${icsUtc(booking.start)}`,
        `DTEND:${icsUtc(booking.end)}`,
        `SUMMARY:${escapeText(booking.title)}`,
    ];
    if (booking.location) lines.push(`LOCATION:${escapeText(booking.location)}`);
    if (booking.description) lines.push(`DESCRIPTION:${escapeText(booking.description)}`);
    if (booking.url) lines.push(`URL:${booking.url}`);
    lines.push('END:VEVENT', 'END:VCALENDAR');
    return lines.map(fold).join('\r\n') + '\r\n';
}
