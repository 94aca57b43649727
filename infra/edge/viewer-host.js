// CloudFront Function (cloudfront-js-2.0), viewer request, on every behaviour of a
// distribution without a custom domain. It copies the Host the reader asked for into
// x-newswire-host, which the origin request policies forward and the functions use as
// the site's address, so the first deploy links to its own *.cloudfront.net name.
// Any x-newswire-host a viewer sends is replaced: only CloudFront sets it.
// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls the function named handler.
function handler(event) {
  const request = event.request;
  const host = request.headers.host;
  // biome-ignore lint/complexity/useOptionalChain: keep to syntax every CloudFront JS runtime documents.
  if (host && host.value) {
    request.headers['x-newswire-host'] = { value: host.value };
  } else {
    delete request.headers['x-newswire-host'];
  }
  return request;
}
