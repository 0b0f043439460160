// The person's time zone: the browser's own (Intl), or the one they picked (kept in localStorage
// for their next visit). The relay gets it on its upgrade URL (?tz=), and the cards show times in it.

const STORAGE_KEY = 'calrt.timeZone';

export function browserTimeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isKnownTimeZone(zone) {
    try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
    } catch {
        return false;
    }
}

export function chosenTimeZone() {
    let stored = null;
    try {
        stored = window.localStorage.getItem(STORAGE_KEY);
    } catch {
        // storage may be off (private windows): the browser's zone then
    }
    return stored && isKnownTimeZone(stored) ? stored : browserTimeZone();
}

export function rememberTimeZone(zone) {
    try {
        if (zone === browserTimeZone()) window.localStorage.removeItem(STORAGE_KEY);
        else window.localStorage.setItem(STORAGE_KEY, zone);
    } catch {
        // not remembered; this visit still uses it
    }
}

// Fills the <select> with every zone the browser knows (the chosen one first if it is missing).
export function fillTimeZoneSelect(select, chosen) {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const all = zones.includes(chosen) ? zones : [chosen, ...zones];
    select.replaceChildren(
        ...all.map((zone) => {
            const option = document.createElement('option');
            option.value = zone;
            option.textContent = zone.replace(/_/g, ' ');
            return option;
        }),
    );
    select.value = chosen;
}
