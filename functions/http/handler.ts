import { errorResponse } from './response.ts';
import type { HttpEvent, HttpHandler, HttpResult } from './types.ts';

/** Wraps a route function so that every error becomes a problem+json reply. */
export function httpHandler(route: (event: HttpEvent) => Promise<HttpResult>): HttpHandler {
  return async (event) => {
    try {
      return await route(event);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
