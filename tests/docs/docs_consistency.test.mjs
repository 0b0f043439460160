// The documentation against itself and the repository: docs/api.md names every route that
// docs/openapi.yaml describes (api.md says it lists every route; the OpenAPI test holds the service
// to openapi.yaml), and every file the README and docs/ point at is inside this repository and
// exists (a person who clones it has nothing else). One line per problem; exit 1 if any.
//
//   node tests/docs/docs_consistency.test.mjs [<source dir>]
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, '../..'));
const read = (relative) => readFileSync(path.join(root, relative), 'utf8');
const problems = [];

// Routes of docs/openapi.yaml: two-space-indented path keys, four-space-indented methods under them.
function documentedOperations(yaml) {
    const operations = [];
    let current = null;
    for (const line of yaml.split('\n')) {
        const pathKey = /^  (\/[^:\s]*):\s*$/.exec(line);
        if (pathKey) {
            current = pathKey[1];
            continue;
        }
        if (/^\S/.test(line)) current = null;
        const method = /^    (get|put|post|delete|patch|head|options):\s*$/.exec(line);
        if (current && method) operations.push({ method: method[1].toUpperCase(), route: current });
    }
    return operations;
}

// api.md writes a route as `METHOD /path…` (a heading or a table cell) and a path template's
// {name} as <name>.
function apiMdNames(apiMd, { method, route }) {
    const written = route.replace(/\{([^}]+)\}/g, '<$1>');
    const pattern = new RegExp('`' + method + ' ' + written.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '[`?\\s]');
    return pattern.test(apiMd);
}

const operations = documentedOperations(read('docs/openapi.yaml'));
if (operations.length === 0) problems.push('docs/openapi.yaml: no routes found (has its layout changed?)');
const apiMd = read('docs/api.md');
for (const operation of operations) {
    if (!apiMdNames(apiMd, operation)) {
        problems.push(`docs/api.md does not list \`${operation.method} ${operation.route}\`, which docs/openapi.yaml describes`);
    }
}

// Every markdown link and every backquoted relative path to a document (`../shared/DESIGN.md`) in the
// README and docs/: it must resolve inside the repository to something that exists. (Other
// backquoted `../` text is an example, such as the path traversal that `?tz=` refuses.)
const markdownFiles = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
for (const file of markdownFiles) {
    const text = read(file);
    const targets = [];
    for (const match of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) targets.push(match[1]);
    for (const match of text.matchAll(/`(\.\.\/[^`\s]+\.md)`/g)) targets.push(match[1]);
    for (const target of targets) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;  // http:, https:, mailto:
        const resolved = path.resolve(path.dirname(path.join(root, file)), target);
        if (path.relative(root, resolved).startsWith('..')) {
            problems.push(`${file} points at ${target}, which is outside the repository`);
        } else if (!existsSync(resolved)) {
            problems.push(`${file} points at ${target}, which does not exist`);
        }
    }
}

for (const problem of problems) console.log(`FAIL ${problem}`);
console.log(`docs: ${operations.length} routes and ${markdownFiles.length} files checked, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
