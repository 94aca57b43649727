import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { SiteConfig } from '../../functions/core/config.ts';
import { openApiDocument } from '../../functions/http/openapi.ts';
import { matchTemplate } from '../../functions/http/routes.ts';
import type { HttpEvent, HttpResult } from '../../functions/http/types.ts';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

/** A reply's body as text: base64 decoded, then decompressed by its Content-Encoding. */
function bodyText(result: HttpResult): string {
  if (!result.isBase64Encoded) return result.body;
  const bytes = Buffer.from(result.body, 'base64');
  const coding = result.headers['content-encoding'];
  const text = coding === 'br' ? brotliDecompressSync(bytes) : coding === 'gzip' ? gunzipSync(bytes) : bytes;
  return text.toString('utf8');
}

/**
 * Checks replies against the OpenAPI document the API serves: the status is
 * one the operation declares, the content type one it declares for that
 * status, and a JSON body matches its schema. Returns what is wrong, or nothing.
 */
export function openApiChecker(
  config: SiteConfig,
): (event: HttpEvent, result: HttpResult) => string | undefined {
  const document = openApiDocument(config) as {
    paths: Record<string, Record<string, Operation>>;
    components: Json;
  };
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi', components: document.components });
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const validatorFor = (key: string, schema: Json) => {
    let validate = validators.get(key);
    if (validate === undefined) {
      // References point into the document's components.
      const rebased = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'),
      ) as Json;
      validate = ajv.compile(rebased);
      validators.set(key, validate);
    }
    return validate;
  };
  return (event, result) => {
    const method = event.requestContext.http.method.toUpperCase();
    const where = `${method} ${event.rawPath} → ${result.statusCode}`;
    // The documented path a request is for, as API Gateway would pick it (a trailing slash only where a page has one).
    const templates = Object.keys(document.paths);
    const documented =
      matchTemplate(templates, event.rawPath) ??
      matchTemplate(templates, event.rawPath.replace(/([^/])\/$/, '$1'));
    const operations = documented === undefined ? undefined : document.paths[documented.template];
    // Other paths (site files, problem pages, unknown /api/… paths) are described in prose only.
    if (operations === undefined) return undefined;
    const operation = operations[method.toLowerCase()];
    if (operation === undefined) {
      return result.statusCode === 405 || result.statusCode === 404
        ? undefined
        : `${where}: no ${method} operation`;
    }
    const declared = operation.responses[String(result.statusCode)];
    if (declared === undefined) return `${where}: status not declared`;
    if (result.statusCode === 304 || method === 'HEAD') return undefined;
    const type = (result.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const content = declared.content?.[type];
    if (content === undefined) {
      return `${where}: content type ${type || '(none)'} not declared (${Object.keys(declared.content ?? {}).join(', ')})`;
    }
    if (!type.endsWith('json') || content.schema === undefined) return undefined;
    const validate = validatorFor(
      `${documented?.template} ${method} ${result.statusCode} ${type}`,
      content.schema,
    );
    if (validate(JSON.parse(bodyText(result)))) return undefined;
    return `${where}: ${ajv.errorsText(validate.errors)}`;
  };
}
