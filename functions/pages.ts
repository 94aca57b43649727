import { NotFoundError } from './core/errors.ts';
import { httpHandler } from './http/handler.ts';

/** Lambda entry point for HTML pages and OPML (being built; see issue 4). */
export const handler = httpHandler(async () => {
  throw new NotFoundError('No such page');
});
