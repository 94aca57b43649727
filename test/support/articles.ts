/** A valid write-API article; override any field. */
export function sampleArticle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    headline: 'Summit ends with a pledge on shipping lanes',
    summary: 'Leaders agreed to keep the <em>Malacca Strait</em> open.',
    body: '<p>Leaders meeting in <a href="/asia/">Singapore</a> agreed on Friday.</p>',
    url: 'https://news.example.com/2026/11/27/asia/summit/',
    section: 'world',
    editions: ['asia', 'europe'],
    topics: ['Shipping', 'Diplomacy'],
    byline: [
      {
        name: 'Ana Ortiz',
        title: 'Senior China Analyst',
        url: 'https://news.example.com/profiles/ana-ortiz/',
      },
    ],
    image: {
      url: 'https://news.example.com/images/summit.jpg',
      caption: 'Leaders at the summit in Singapore.',
      credit: 'Lee Min / Newswire',
      width: 1200,
      height: 800,
      type: 'image/jpeg',
    },
    publishedAt: '2026-11-27T09:30:00Z',
    language: 'en',
    ...overrides,
  };
}
