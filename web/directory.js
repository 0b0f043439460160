// Organization mode: who the person can book with (GET /api/calendly?action=hosts), above the
// conversation. At / every host (each a link to their own page, /hosts/<slug>) and the team meeting
// types; on a host's page that host only, and the heading names them. A deployment of one host
// shows nothing: its page reads as before.
import { element } from './tool_results.js';

function teamName(type) {
    return type?.profile?.type === 'Team' && type.profile.name ? String(type.profile.name) : null;
}

function hostItem(host, linked) {
    const name = String(host.name ?? host.slug ?? '');
    const label = linked ? element('a', { href: `/hosts/${encodeURIComponent(String(host.slug ?? ''))}` }, name) : element('span', {}, name);
    return element('li', { className: 'host' }, label, host.timezone ? element('span', { className: 'host-zone' }, String(host.timezone).replace(/_/g, ' ')) : null);
}

function teamTypeItem(type, hostNames) {
    const pooling = type.pooling_type === 'round_robin' ? 'with whoever is free' : type.pooling_type === 'collective' ? 'with all of them together' : '';
    const team = teamName(type);
    return element(
        'li',
        { className: 'team-type' },
        element('strong', {}, String(type.name ?? 'Meeting')),
        element('span', {}, ` · ${Number(type.duration) || 30} min${team ? ` · ${team}` : ''}`),
        hostNames.length > 0 ? element('span', { className: 'team-hosts' }, ` · ${hostNames.join(', ')}${pooling ? ` (${pooling})` : ''}`) : null,
    );
}

// Draws the directory into `section`, a <details> whose <summary> holds its heading (hidden until
// there is one to show); `scope` is pageScope().
export async function showDirectory(section, scope, fetchJson = (url) => fetch(url).then((r) => (r.ok ? r.json() : null))) {
    let directory;
    try {
        directory = await fetchJson('/api/calendly?action=hosts');
    } catch {
        return;
    }
    const hosts = Array.isArray(directory?.hosts) ? directory.hosts : [];
    const teamTypes = Array.isArray(directory?.team_event_types) ? directory.team_event_types : [];
    if (hosts.length < 2 && teamTypes.length === 0) return;
    const heading = section.querySelector('h2');
    const list = element('ul', { className: 'hosts' });
    const only = scope.host ? hosts.find((host) => host.slug === scope.host) : null;
    if (only) {
        heading.textContent = `Book with ${String(only.name ?? only.slug)}`;
        list.append(hostItem(only, false));
        section.append(list, element('p', { className: 'all-hosts' }, element('a', { href: '/' }, 'See everyone you can book with')));
    } else {
        for (const host of hosts) list.append(hostItem(host, true));
        section.append(list);
        const shown = scope.team ? teamTypes.filter((type) => teamName(type)?.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') === scope.team) : teamTypes;
        if (shown.length > 0) {
            const types = element('ul', { className: 'team-types' });
            for (const type of shown) {
                const names = hosts.filter((host) => Array.isArray(host.event_types) && host.event_types.includes(type.uri)).map((host) => String(host.name));
                types.append(teamTypeItem(type, names));
            }
            section.append(element('h3', {}, 'Team meetings'), types);
        }
    }
    // Open where there is room; a summary line on a phone, as the sandbox note.
    const roomy = window.matchMedia('(min-width: 40rem)');
    section.open = roomy.matches;
    roomy.addEventListener('change', () => (section.open = roomy.matches));
    section.hidden = false;
}
