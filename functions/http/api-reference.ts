import type { SiteConfig } from '../core/config.ts';
import { h, renderLayout } from '../core/pages/layout.ts';
import { API_REFERENCE_PATH, openApiDocument } from './openapi.ts';

/**
 * The API reference at /api/: the OpenAPI document (http/openapi.ts) as one
 * HTML page for people, in the site's layout, without any script. Every
 * operation has its own section (and anchor, its operationId), every schema
 * its table of fields.
 */

type Json = Record<string, unknown>;

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { description?: string; content: Record<string, { schema?: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Json }> }>;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Json;
}

/** The methods in the order a reader expects them. */
const METHODS = ['get', 'head', 'post', 'put', 'delete'] as const;

/** Escapes text and turns `backticked` parts into code, as the document's descriptions write them. */
function prose(text: string): string {
  return h(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function schemaName(ref: string): string {
  return ref.split('/').at(-1) ?? ref;
}

/** A schema in a few words, linking to the schemas it refers to. */
function describeSchema(schema: Json | undefined): string {
  if (schema === undefined) return '';
  if (typeof schema.$ref === 'string') {
    const name = schemaName(schema.$ref);
    return `<a href="#schema-${h(name)}">${h(name)}</a>`;
  }
  if (Array.isArray(schema.enum))
    return `one of ${schema.enum.map((v) => `<code>${h(String(v))}</code>`).join(', ')}`;
  if ('const' in schema) return `<code>${h(JSON.stringify(schema.const))}</code>`;
  const limits: string[] = [];
  if (typeof schema.format === 'string') limits.push(h(schema.format));
  if (typeof schema.maxLength === 'number') limits.push(`at most ${schema.maxLength} characters`);
  if (typeof schema.minimum === 'number') limits.push(`from ${schema.minimum}`);
  if (typeof schema.maximum === 'number') limits.push(`up to ${schema.maximum}`);
  if (typeof schema.minItems === 'number') limits.push(`at least ${schema.minItems}`);
  if (typeof schema.maxItems === 'number') limits.push(`at most ${schema.maxItems}`);
  if (schema.uniqueItems === true) limits.push('no repeats');
  if (typeof schema.pattern === 'string') limits.push(`matching <code>${h(schema.pattern)}</code>`);
  const type =
    schema.type === 'array'
      ? `array of ${describeSchema(schema.items as Json)}`
      : h(String(schema.type ?? 'any'));
  return limits.length === 0 ? type : `${type} (${limits.join(', ')})`;
}

function table(caption: string, head: readonly string[], rows: readonly string[][]): string {
  return `<div class="table"><table>
<caption>${caption}</caption>
<thead><tr>${head.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>
<tbody>
${rows.map(([first, ...rest]) => `<tr><th scope="row">${first}</th>${rest.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table></div>`;
}

function mediaTypes(content: Record<string, { schema?: Json }> | undefined): string {
  if (content === undefined) return 'no body';
  return Object.entries(content)
    .map(
      ([type, { schema }]) =>
        `<code>${h(type)}</code>${schema === undefined ? '' : `: ${describeSchema(schema)}`}`,
    )
    .join('<br>');
}

function renderOperation(method: string, path: string, operation: Operation, shared: Parameter[]): string {
  const title = `${method.toUpperCase()} ${path}`;
  const keyed = operation.security === undefined || operation.security.length > 0;
  const parameters = [...shared, ...(operation.parameters ?? [])];
  const parts = [
    `<section class="operation" id="${h(operation.operationId)}" aria-labelledby="${h(operation.operationId)}-title">`,
    `<h3 id="${h(operation.operationId)}-title"><code>${h(title)}</code></h3>`,
    `<p>${prose(operation.summary)}</p>`,
    operation.description === undefined ? '' : `<p>${prose(operation.description)}</p>`,
    `<p class="meta">${keyed ? 'Needs an API key: <code>Authorization: Bearer nw_…</code>' : 'Public: no key needed'}. Operation id <code>${h(operation.operationId)}</code>.</p>`,
  ];
  if (parameters.length > 0) {
    parts.push(
      table(
        `Parameters of ${h(title)}`,
        ['Name', 'In', 'Required', 'Values', 'What it is'],
        parameters.map((p) => [
          `<code>${h(p.name)}</code>`,
          h(p.in),
          p.required ? 'yes' : 'no',
          describeSchema(p.schema),
          p.description === undefined ? '' : prose(p.description),
        ]),
      ),
    );
  }
  if (operation.requestBody !== undefined) {
    const body = operation.requestBody;
    parts.push(
      `<p>Request body: ${mediaTypes(body.content)}${body.description === undefined ? '' : `. ${prose(body.description)}`}</p>`,
    );
  }
  parts.push(
    table(
      `Responses of ${h(title)}`,
      ['Status', 'Meaning', 'Body'],
      Object.entries(operation.responses).map(([status, response]) => [
        h(status),
        prose(response.description),
        mediaTypes(response.content),
      ]),
    ),
  );
  parts.push('</section>');
  return parts.filter((part) => part !== '').join('\n');
}

function renderSchema(name: string, schema: Json): string {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows = Object.entries(properties).map(([field, property]) => [
    `<code>${h(field)}</code>`,
    required.has(field) ? 'yes' : 'no',
    describeSchema(property),
    typeof property.description === 'string' ? prose(property.description) : '',
  ]);
  return `<section class="schema" id="schema-${h(name)}" aria-labelledby="schema-${h(name)}-title">
<h3 id="schema-${h(name)}-title">${h(name)}</h3>
${typeof schema.description === 'string' ? `<p>${prose(schema.description)}</p>` : ''}
${rows.length === 0 ? `<p>${describeSchema(schema)}</p>` : table(`Fields of ${h(name)}`, ['Field', 'Required', 'Values', 'What it is'], rows)}
${schema.additionalProperties === false ? '<p class="meta">Any other field is refused by name.</p>' : ''}
</section>`;
}

const STYLES = `
.reference .table{overflow-x:auto}
.reference table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
.reference caption{text-align:left;font-weight:600;padding:.3rem 0}
.reference th,.reference td{border:1px solid var(--rule);padding:.3rem .5rem;text-align:left;vertical-align:top}
.reference thead th{background:var(--panel)}
.reference code{font:.85em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.reference .operation,.reference .schema{border-top:1px solid var(--rule);padding-top:.5rem;margin-top:1rem}
.reference .contents{columns:2 18rem;font-size:.9rem}
`;

const cached = new WeakMap<SiteConfig, string>();

/** The API reference page for a site: every path and operation of its OpenAPI document, then every schema. */
export function renderApiReference(config: SiteConfig): string {
  const page = cached.get(config);
  if (page !== undefined) return page;
  const document = openApiDocument(config) as {
    info: { title: string; description: string };
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, Json> };
  };
  const contents: string[] = [];
  const sections: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = (item.parameters ?? []) as Parameter[];
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation === undefined) continue;
      contents.push(
        `<li><a href="#${h(operation.operationId)}"><code>${h(`${method.toUpperCase()} ${path}`)}</code></a></li>`,
      );
      sections.push(renderOperation(method, path, operation, shared));
    }
  }
  const schemas = Object.entries(document.components.schemas);
  const main = `<div class="reference">
<h1>${h(document.info.title)} reference</h1>
<p class="lede">${prose(document.info.description)}</p>
<p>The same description as an OpenAPI 3.1 document, for tools: <a href="${h(`${config.baseUrl}/api/openapi.json`)}" type="application/json">/api/openapi.json</a>. Errors are RFC 9457 problems, each explained on <a href="${h(`${config.baseUrl}/problems/`)}">its own page</a>.</p>
<nav aria-labelledby="contents-title"><h2 id="contents-title">Operations</h2><ul class="contents">
${contents.join('\n')}
</ul><p><a href="#schemas-title">Schemas</a>: ${schemas.map(([name]) => `<a href="#schema-${h(name)}">${h(name)}</a>`).join(', ')}</p></nav>
<h2 id="operations-title">Paths and operations</h2>
${sections.join('\n')}
<h2 id="schemas-title">Schemas</h2>
${schemas.map(([name, schema]) => renderSchema(name, schema)).join('\n')}
</div>`;
  const rendered = renderLayout({
    config,
    lang: config.language,
    title: 'API reference',
    description: `Every operation of the ${config.title} API: the write API for a CMS, and the public feeds and pages.`,
    canonical: `${config.baseUrl}${API_REFERENCE_PATH}`,
    feeds: { kind: 'edition', edition: config.defaultEdition },
    scripts: false,
    styles: STYLES,
    main,
  });
  cached.set(config, rendered);
  return rendered;
}
