// docs/openapi.yaml as something answers can be checked against: the document is validated as
// OpenAPI 3.1 (@seriousme/openapi-schema-validator, which checks it against the official 3.1
// schema), every schema in it is compiled by Ajv's JSON Schema 2020-12 build in strict mode
// (so that a misspelt keyword is an error, not an ignored annotation), and every example is
// validated against its own schema. Then `checkResponse` says whether one answer of the service
// is one the document describes: its status is listed, the headers it requires are there and
// well-formed, the body is of a documented media type and matches the schema, and an error's
// code is one the response lists (`x-error-codes`).
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

const addFormats = addFormatsModule.default ?? addFormatsModule;
const ROOT_ID = 'urn:calrt:openapi';
// OpenAPI's own keywords inside schemas: annotations for Ajv.
const OPENAPI_SCHEMA_KEYWORDS = ['discriminator', 'xml', 'externalDocs', 'example'];

export class ContractError extends Error {}

export class Contract {
    // Reads and checks the document; throws ContractError when it is not valid.
    static async load(file) {
        const text = readFileSync(file, 'utf8');
        const document = YAML.parse(text); // YAML 1.2 core schema, as the build converts it
        const validator = new Validator();
        const result = await validator.validate(structuredClone(document));
        if (!result.valid) {
            throw new ContractError(`${file} is not valid OpenAPI:\n${JSON.stringify(result.errors, null, 2)}`);
        }
        if (validator.version !== '3.1') throw new ContractError(`${file} is OpenAPI ${validator.version}, not 3.1`);
        return new Contract(document);
    }

    constructor(document) {
        this.document = document;
        this.ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
        addFormats(this.ajv);
        this.ajv.addVocabulary(OPENAPI_SCHEMA_KEYWORDS);
        this.ajv.addSchema({ $id: ROOT_ID, $defs: rebase(document.components?.schemas ?? {}) });
        this.compiled = new Map();
        this.seen = new Set(); // "METHOD template status" answered at least once
    }

    // "#/components/…" to the object it names.
    resolve(object) {
        let seen = 0;
        while (object && typeof object.$ref === 'string' && object.$ref.startsWith('#/')) {
            if (++seen > 10) throw new ContractError(`$ref loop at ${object.$ref}`);
            const target = object.$ref
                .slice(2)
                .split('/')
                .reduce((node, key) => node?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], this.document);
            if (target === undefined) throw new ContractError(`unresolved $ref ${object.$ref}`);
            object = target;
        }
        return object;
    }

    validator(schema) {
        let validate = this.compiled.get(schema);
        if (!validate) {
            validate = this.ajv.compile(rebase(schema));
            this.compiled.set(schema, validate);
        }
        return validate;
    }

    // Problems of `value` against `schema`, as text; empty when it matches.
    problems(schema, value) {
        const validate = this.validator(schema);
        if (validate(value)) return [];
        return validate.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}${describeParams(e.params)}`);
    }

    schemaNamed(name) {
        const schema = this.document.components.schemas[name];
        if (!schema) throw new ContractError(`no schema ${name} in components`);
        return { $ref: `#/components/schemas/${name}` };
    }

    // Every operation as { method, template, operation }.
    *operations() {
        for (const [template, item] of Object.entries(this.document.paths)) {
            for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
                if (item[method]) yield { method: method.toUpperCase(), template, operation: item[method] };
            }
        }
    }

    // The path template a request path falls under: an exact path first, as routers and the spec do.
    templateFor(path) {
        const templates = Object.keys(this.document.paths);
        if (templates.includes(path)) return path;
        return templates.find((template) => {
            if (!template.includes('{')) return false;
            const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
            return new RegExp(`^${pattern}$`).test(path);
        });
    }

    // Compiles every schema of the document and checks every example against its schema, and
    // every error example's code against the codes its response lists.
    checkDocument() {
        const checked = { schemas: 0, examples: 0 };
        for (const schema of Object.values(this.document.components.schemas)) {
            this.validator(schema);
            checked.schemas++;
        }
        const checkMedia = (where, media, codes) => {
            if (media.schema) {
                this.validator(media.schema);
                checked.schemas++;
            }
            for (const [name, example] of Object.entries(media.examples ?? {})) {
                const value = this.resolve(example).value;
                const problems = this.problems(media.schema ?? {}, value);
                if (problems.length) throw new ContractError(`example ${where} ${name}: ${problems.join('; ')}`);
                const code = value?.error?.code;
                if (codes && code !== undefined && !codes.includes(code)) {
                    throw new ContractError(`example ${where} ${name}: code ${code} is not in x-error-codes`);
                }
                checked.examples++;
            }
        };
        for (const { method, template, operation } of this.operations()) {
            for (const parameter of operation.parameters ?? []) this.validator(this.resolve(parameter).schema);
            const body = this.resolve(operation.requestBody);
            for (const [type, media] of Object.entries(body?.content ?? {})) {
                checkMedia(`${method} ${template} request ${type}`, media);
            }
            for (const [status, reference] of Object.entries(operation.responses)) {
                const response = this.resolve(reference);
                for (const [type, media] of Object.entries(response.content ?? {})) {
                    checkMedia(`${method} ${template} ${status} ${type}`, media, response['x-error-codes']);
                }
                for (const header of Object.values(response.headers ?? {})) this.validator(this.resolve(header).schema);
            }
        }
        for (const [name, response] of Object.entries(this.document.components.responses ?? {})) {
            for (const [type, media] of Object.entries(response.content ?? {})) {
                checkMedia(`components/responses/${name} ${type}`, media, response['x-error-codes']);
            }
        }
        return checked;
    }

    // A request the document describes: its query parameters are the operation's (and valid),
    // the required ones given, and its JSON body valid. Returns problems as text.
    requestProblems({ method, path, query, headers, body }) {
        const template = this.templateFor(path);
        const operation = template && this.document.paths[template][method.toLowerCase()];
        if (!operation) return [`${method} ${path} is not an operation of the document`];
        const problems = [];
        const parameters = (operation.parameters ?? []).map((p) => this.resolve(p));
        for (const [name, value] of query) {
            const parameter = parameters.find((p) => p.in === 'query' && p.name === name);
            if (!parameter) problems.push(`query parameter ${name} is not documented`);
            else problems.push(...this.problems(parameter.schema, coerce(parameter.schema, value)).map((p) => `${name}: ${p}`));
        }
        const headerNames = Object.keys(headers).map((name) => name.toLowerCase());
        for (const parameter of parameters.filter((p) => p.required)) {
            const given = parameter.in === 'query' ? query.some(([name]) => name === parameter.name)
                        : parameter.in === 'header' ? headerNames.includes(parameter.name.toLowerCase())
                        : true;
            if (!given) problems.push(`required ${parameter.in} parameter ${parameter.name} is missing`);
        }
        const requestBody = this.resolve(operation.requestBody);
        if (requestBody?.required && body === undefined) problems.push('the request body is required');
        if (body !== undefined && requestBody) {
            const media = requestBody.content['application/json'];
            let value;
            try {
                value = JSON.parse(body);
            } catch {
                return [...problems, 'the request body is not JSON'];
            }
            problems.push(...this.problems(media.schema, value).map((p) => `body ${p}`));
        }
        return problems;
    }

    // Checks one answer. `expected` is { status, response } where `response` names an entry of
    // components/responses for an answer that no operation gives (405 on an unlisted method,
    // 404 on an unlisted path, the answers before routing); otherwise the operation's own
    // response for the status is used. Returns the description used; throws ContractError.
    checkResponse({ method, path }, answer, { response: componentName, schema: extraSchema } = {}) {
        let response;
        let where;
        if (componentName) {
            response = this.document.components.responses[componentName];
            if (!response) throw new ContractError(`no components/responses/${componentName}`);
            where = `components/responses/${componentName}`;
        } else {
            const template = this.templateFor(path);
            const operationMethod = method === 'HEAD' ? 'get' : method.toLowerCase();
            const operation = template && this.document.paths[template][operationMethod];
            if (!operation) throw new ContractError(`${method} ${path} is not an operation of the document`);
            const reference = operation.responses[String(answer.status)];
            if (!reference) {
                throw new ContractError(`status ${answer.status} is not documented for ${method.replace('HEAD', 'GET')} ${template}`);
            }
            response = this.resolve(reference);
            where = `${operationMethod.toUpperCase()} ${template} ${answer.status}`;
            this.seen.add(`${operationMethod.toUpperCase()} ${template} ${answer.status}`);
        }
        const problems = [];
        for (const [name, reference] of Object.entries(response.headers ?? {})) {
            const header = this.resolve(reference);
            const value = answer.headers[name.toLowerCase()];
            if (value === undefined) {
                if (header.required) problems.push(`header ${name} is missing`);
                continue;
            }
            problems.push(...this.problems(header.schema, coerce(header.schema, value)).map((p) => `header ${name}: ${p}`));
        }
        const contentType = answer.headers['content-type'];
        if (!response.content) {
            if (contentType !== undefined) problems.push(`Content-Type ${contentType}, but the document gives no content`);
        } else if (contentType === undefined) {
            problems.push('no Content-Type');
        } else {
            const mediaType = contentType.split(';')[0].trim().toLowerCase();
            const media = response.content[mediaType];
            if (!media) {
                problems.push(`Content-Type ${contentType} is not one of ${Object.keys(response.content).join(', ')}`);
            } else if (method === 'HEAD') {
                if (answer.body !== '') problems.push('a HEAD answer with a body');
            } else {
                problems.push(...this.checkBody(answer.body, mediaType, media, response, extraSchema));
            }
        }
        if (problems.length) throw new ContractError(`${where}: ${problems.join('; ')}`);
        return where;
    }

    checkBody(text, mediaType, media, response, extraSchema) {
        const json = mediaType === 'application/json' || mediaType.endsWith('+json');
        let value = text;
        if (json) {
            try {
                value = JSON.parse(text);
            } catch {
                return ['the body is not JSON'];
            }
        }
        const problems = this.problems(media.schema ?? {}, value).map((p) => `body ${p}`);
        if (extraSchema) problems.push(...this.problems(this.schemaNamed(extraSchema), value).map((p) => `body (as ${extraSchema}) ${p}`));
        const codes = response['x-error-codes'];
        const code = value?.error?.code;
        if (codes && code !== undefined && !codes.includes(code)) {
            problems.push(`error code ${code} is not one of the response's x-error-codes (${codes.join(', ')})`);
        }
        return problems;
    }

    // Documented (method, template, status) that no answer exercised.
    unexercised() {
        const missing = [];
        for (const { method, template, operation } of this.operations()) {
            for (const status of Object.keys(operation.responses)) {
                if (!this.seen.has(`${method} ${template} ${status}`)) missing.push(`${method} ${template} ${status}`);
            }
        }
        return missing;
    }
}

// A copy of `schema` whose "#/components/schemas/X" references point into the schema registered
// as ROOT_ID, where the component schemas live under $defs.
function rebase(schema) {
    return JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${ROOT_ID}#/$defs/`),
    );
}

// Header and query values are text: an integer schema is checked against the number it spells.
function coerce(schema, text) {
    const types = [schema?.type].flat();
    if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    return text;
}

function describeParams(params) {
    if (!params) return '';
    const shown = Object.entries(params).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
    return shown.length ? ` (${shown.join(', ')})` : '';
}
