import type { SiteConfig } from '../config.ts';
import { PROBLEM_TYPES, type ProblemProse, type ProblemType, problemTypeUrl, proseOf } from '../problems.ts';
import { h, renderLayout } from './layout.ts';

/** Escapes text and turns `backticked` parts into code, as the problem catalogue writes them. */
function prose(text: string): string {
  return h(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Path of the list of every problem type. */
export const PROBLEMS_PATH = '/problems/';

/** `/problems/{type}`: what one API problem means and how to fix the request (the `type` URI resolves here). */
export function renderProblemPage(config: SiteConfig, problem: ProblemType & ProblemProse): string {
  const main = `<nav class="crumbs" aria-label="Breadcrumb"><ol>
<li><a href="${h(`${config.baseUrl}/`)}">${h(config.title)}</a></li>
<li><a href="${h(`${config.baseUrl}${PROBLEMS_PATH}`)}">API problems</a></li>
<li><a href="${h(problemTypeUrl(config.baseUrl, problem.type))}" aria-current="page">${h(problem.title)}</a></li>
</ol></nav>
<h1>${h(problem.title)}</h1>
<p class="lede">HTTP status ${problem.status}, problem type <code>${h(problemTypeUrl(config.baseUrl, problem.type))}</code></p>
<h2>What it means</h2>
<p>${prose(problem.meaning)}</p>
<h2>How to fix it</h2>
<p>${prose(problem.fix)}</p>
<p>The response is <code>application/problem+json</code> (RFC 9457): <code>type</code> is this page, <code>title</code> names the problem, <code>detail</code> says what happened to this request${problem.status === 400 ? ' and <code>errors</code> lists every field at fault' : ''}.</p>
<p>Every field and rule: <a href="${h(`${config.baseUrl}/api/`)}">API reference</a>.</p>`;
  return renderLayout({
    config,
    lang: config.language,
    title: `${problem.title} (${problem.status}) — API problems`,
    description: problem.meaning.replace(/`/g, ''),
    canonical: problemTypeUrl(config.baseUrl, problem.type),
    feeds: { kind: 'edition', edition: config.defaultEdition },
    main,
  });
}

/** `/problems/`: every problem type the write API may answer with. */
export function renderProblemIndex(config: SiteConfig): string {
  const rows = PROBLEM_TYPES.map(
    (p) =>
      `<li><p><a href="${h(problemTypeUrl(config.baseUrl, p.type))}">${p.status} ${h(p.title)}</a>: ${prose(proseOf(p).meaning)}</p></li>`,
  ).join('\n');
  const main = `<h1>API problems</h1>
<p class="lede">Every error of the write API is an RFC 9457 problem whose <code>type</code> links to one of these pages. Every operation and field is in the <a href="${h(`${config.baseUrl}/api/`)}">API reference</a>.</p>
<ul>
${rows}
</ul>`;
  return renderLayout({
    config,
    lang: config.language,
    title: 'API problems',
    description: 'What each error of the Newswire write API means and how to fix the request.',
    canonical: `${config.baseUrl}${PROBLEMS_PATH}`,
    feeds: { kind: 'edition', edition: config.defaultEdition },
    main,
  });
}
