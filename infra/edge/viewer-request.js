// CloudFront Function (cloudfront-js-2.0), viewer request, on every behaviour of the distribution.
// infra/edge/gate.ts fills SITE in at synth from the route table (functions/http/routes.ts), the
// config and the origin's own answers, so this file holds rules, never lists.
//
// 1. Without a custom domain it copies the Host the reader asked for into x-newswire-host (any a
//    viewer sent is replaced), which the functions use as the site's address.
// 2. It answers at the edge what the origin would refuse before reading the table — a path under
//    /api/ that names nothing (404), a method a path does not take (405), a keyed operation without a
//    bearer key of the issued form (401), a feed of an edition, section, writer or topic that cannot
//    exist (404), a malformed `after` cursor (400) — with the same status, headers and problem+json
//    body the origin sends. Such requests never reach API Gateway, its throttles or a function.
//    Whatever it cannot decide for certain (a key's secret, a cursor's entry, a writer's stories, a
//    percent-escape) goes on to the origin, which decides as before.
const SITE = /* site */ {};

function header(request, name) {
  const entry = request.headers[name];
  // Repeated headers are joined by API Gateway before the origin sees them: leave those to it.
  if (entry === undefined || (entry.multiValue !== undefined && entry.multiValue.length > 1)) return null;
  return /^[\x20-\x7e]*$/.test(entry.value) ? entry.value : null;
}

// The most specific route for a method and path, as API Gateway picks it (functions/http/routes.ts):
// literal segments beat variables, which beat a greedy one, from the left. Segments in SITE.routes:
// a string is a literal, 1 a variable, 0 a greedy variable.
function rank(segments, parts) {
  const ranks = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === 0) {
      if (parts.length <= i) return null;
      ranks.push(0);
      return ranks;
    }
    const part = parts[i];
    if (part === undefined || (part === '' && segment !== '')) return null;
    if (segment === 1) ranks.push(1);
    else if (part === segment) ranks.push(2);
    else return null;
  }
  return parts.length === segments.length ? ranks : null;
}

function better(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (i < a.length ? a[i] : -1) - (i < b.length ? b[i] : -1);
    if (difference !== 0) return difference > 0;
  }
  return false;
}

function matchRoute(method, path) {
  const parts = path === '/' ? [] : path.slice(1).split('/');
  let best = null;
  let bestRank = null;
  for (let i = 0; i < SITE.routes.length; i++) {
    const route = SITE.routes[i];
    if (route.methods.indexOf('ANY') < 0 && route.methods.indexOf(method) < 0) continue;
    const found = rank(route.segments, parts);
    if (found !== null && (best === null || better(found, bestRank))) {
      best = route;
      bestRank = found;
    }
  }
  return best;
}

function methodsFor(path) {
  const methods = [];
  // The origin's order (functions/http/routes.ts methodsFor): its Allow header is the same.
  const verbs = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];
  for (let i = 0; i < verbs.length; i++) {
    const route = matchRoute(verbs[i], path);
    if (route !== null && route.methods.indexOf('ANY') < 0) methods.push(verbs[i]);
  }
  return methods;
}

// One of the origin's answers (SITE.answers), its placeholder replaced by the request's own value.
function answer(name, value) {
  const template = SITE.answers[name];
  // In the JSON body the mark and the value are JSON-escaped; in headers they are as they are.
  const fill = (text, mark, by) => (value === undefined ? text : text.split(mark).join(by));
  const headers = {};
  for (const key in template.headers) headers[key] = { value: fill(template.headers[key], SITE.mark, value) };
  const escaped = value === undefined ? '' : JSON.stringify(value).slice(1, -1);
  return {
    statusCode: template.status,
    headers: headers,
    body: { encoding: 'text', data: fill(template.body, JSON.stringify(SITE.mark).slice(1, -1), escaped) },
  };
}

function refuseApi(request) {
  if (request.uri === SITE.apiReference) return null;
  const path = request.uri.replace(/(.)\/$/, '$1');
  const route = matchRoute(request.method, path);
  if (route === null || route.operation === 'unknownApi') {
    const allowed = methodsFor(path);
    return allowed.length > 0 ? answer('methodNotAllowed', allowed.join(', ')) : answer('apiNotFound');
  }
  if (!route.keyed) return null;
  const authorization = header(request, 'authorization');
  if (authorization === null) return request.headers.authorization === undefined ? answer('noKey') : null;
  const bearer = new RegExp(SITE.bearer, 'i').exec(authorization);
  if (bearer === null) return answer('noKey');
  return new RegExp(SITE.token).test(bearer[1]) ? null : answer('badKey');
}

// base64url as Node's Buffer decodes it (6 bits a character, whole bytes only); null when a byte is not ASCII.
function decodeBase64url(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let bits = 0;
  let count = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    bits = ((bits << 6) | alphabet.indexOf(text.charAt(i))) & 0xffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      const byte = (bits >> count) & 0xff;
      if (byte > 0x7e) return null;
      out += String.fromCharCode(byte);
    }
  }
  return out;
}

// True only for a cursor the origin refuses whatever the table holds (decodeCursor).
function malformedCursor(cursor) {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return false;
  const decoded = decodeBase64url(cursor);
  if (decoded === null) return true;
  const fields = decoded.split('|');
  return (
    fields.length !== 2 ||
    !new RegExp(SITE.cursorTime).test(fields[0]) ||
    !new RegExp(SITE.id).test(fields[1])
  );
}

function refuseFeed(request) {
  const folder = request.uri.slice(1).split('/').slice(0, -1);
  const first = folder[0];
  const second = folder[1];
  if (first === 'authors' || first === 'topics') {
    // A slug as the origin makes them, for the characters a plain path can hold.
    const slug =
      second !== undefined && second.length <= SITE.slugLength && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(second);
    return slug
      ? null
      : answer(first === 'authors' ? 'noWriter' : 'noTopic', second === undefined ? '' : second);
  }
  if (SITE.editions.indexOf(first) < 0) return answer('noEdition', first);
  if (second !== undefined && second !== 'top' && SITE.sections.indexOf(second) < 0) {
    return answer('noSection', second);
  }
  const after = request.querystring.after;
  if (
    after === undefined ||
    after.value === '' ||
    (after.multiValue !== undefined && after.multiValue.length > 1)
  ) {
    return null;
  }
  if (second === 'top') return answer('topCursor');
  return malformedCursor(after.value) ? answer('badCursor') : null;
}

function refuse(request) {
  // Plain paths only: one a percent-escape, dot segment or empty segment makes, the origin decides.
  if (!/^(\/[A-Za-z0-9_~!$&'()*+,;=:@.-]+)*\/?$/.test(request.uri) || /\/\.\.?(\/|$)/.test(request.uri)) {
    return null;
  }
  if (request.uri.indexOf('/api/') === 0) return refuseApi(request);
  const route = matchRoute(request.method, request.uri);
  // biome-ignore lint/complexity/useOptionalChain: keep to syntax every CloudFront JS runtime documents.
  return route !== null && route.scopeFeed ? refuseFeed(request) : null;
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls the function named handler.
function handler(event) {
  const request = event.request;
  if (SITE.copyHost) {
    const host = request.headers.host;
    // biome-ignore lint/complexity/useOptionalChain: keep to syntax every CloudFront JS runtime documents.
    if (host && host.value) request.headers['x-newswire-host'] = { value: host.value };
    else delete request.headers['x-newswire-host'];
  }
  const refusal = refuse(request);
  return refusal === null ? request : refusal;
}
