/**
 * The CloudFront standard log parser against AWS's documented format
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html):
 * the 33 fields in their documented order, AWS's own example lines, the
 * URL-encoded characters it lists, `-` for empty, the two fields added
 * later, and a standard logging (v2) file with chosen fields.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeLogField,
  LogFormatError,
  type LogReadReport,
  readCloudFrontLog,
} from '../../functions/core/cloudfront-log.ts';

/** The fields of a distribution's log file, in the order AWS documents them. */
const DOCUMENTED_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'cs-uri-query',
  'cs(Cookie)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
];

/** AWS's example log file, as the reference page prints it (two of its lines). */
const AWS_EXAMPLE = `#Version: 1.0
#Fields: ${DOCUMENTED_FIELDS.join(' ')}
2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/78.0.3904.108%20Safari/537.36\t-\t-\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\td111111abcdef8.cloudfront.net\thttps\t23\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t11040\t0.001\tHit\ttext/html\t78\t-\t-
2019-12-13\t22:37:02\tSEA19-C2\t900\t192.0.2.200\tGET\td111111abcdef8.cloudfront.net\t/\t502\t-\tcurl/7.55.1\t-\t-\tError\tkBkDzGnceVtWHqSCqBUqtA_cEs2T3tFUBbnBNkB9El_uVRhHgcZfcw==\twww.example.com\thttp\t387\t0.103\t-\t-\t-\tError\tHTTP/1.1\t-\t-\t12644\t0.103\tOriginDnsError\ttext/html\t507\t-\t-
`;

function line(values: Record<string, string>, fields = DOCUMENTED_FIELDS): string {
  return fields.map((f) => values[f] ?? '-').join('\t');
}

describe('CloudFront standard log parser', () => {
  test("reads AWS's own example file", () => {
    const records = [...readCloudFrontLog(AWS_EXAMPLE)];
    assert.deepEqual(records, [
      {
        at: new Date('2019-12-04T21:02:31Z'),
        address: '192.0.2.100',
        method: 'GET',
        path: '/index.html',
        query: undefined,
        status: 200,
        userAgent:
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36',
      },
      {
        at: new Date('2019-12-13T22:37:02Z'),
        address: '192.0.2.200',
        method: 'GET',
        path: '/',
        query: undefined,
        status: 502,
        userAgent: 'curl/7.55.1',
      },
    ]);
  });

  test('decodes every character AWS lists as URL-encoded, and bytes 0–32 and 127+ as UTF-8', () => {
    const listed = { '%3C': '<', '%3E': '>', '%22': '"', '%23': '#', '%25': '%', '%7B': '{', '%7D': '}' };
    const more = { '%7C': '|', '%5C': '\\', '%5E': '^', '%7E': '~', '%5B': '[', '%5D': ']', '%60': '`' };
    for (const [encoded, character] of Object.entries({ ...listed, ...more, '%27': "'", '%20': ' ' })) {
      assert.equal(decodeLogField(`a${encoded}b`), `a${character}b`, encoded);
    }
    assert.equal(decodeLogField('Caf%C3%A9%09Reader'), 'Café\tReader');
    assert.equal(decodeLogField('%E6%96%B0%E8%81%9E'), '新聞');
    // Bytes that are not UTF-8 come through one character per byte; a stray % stays.
    assert.equal(decodeLogField('Lecteur%E9'), 'Lecteuré');
    assert.equal(decodeLogField('100%'), '100%');
    assert.equal(decodeLogField('-'), '');
  });

  test('reads every documented field by name, `-` as empty, a query without "?"', () => {
    const text = `#Version: 1.0\n#Fields: ${DOCUMENTED_FIELDS.join(' ')}\n${line({
      date: '2026-11-27',
      time: '09:30:00',
      'c-ip': '2001:db8:85a3::8a2e:370:7334',
      'cs-method': 'HEAD',
      'cs-uri-stem': '/topics/caf%C3%A9/rss.xml',
      'sc-status': '304',
      'cs(User-Agent)': 'Feedbin%20feed-id:1%20-%202%20subscribers',
      'cs-uri-query': 'after=abc%3D',
    })}\n`;
    const [record] = [...readCloudFrontLog(text)];
    assert.deepEqual(record, {
      at: new Date('2026-11-27T09:30:00Z'),
      address: '2001:db8:85a3::8a2e:370:7334',
      method: 'HEAD',
      path: '/topics/café/rss.xml',
      query: 'after=abc=',
      status: 304,
      userAgent: 'Feedbin feed-id:1 - 2 subscribers',
    });
  });

  test('reads files with the fields added after the original 33, and v2 files with chosen fields in any order', () => {
    const extended = [...DOCUMENTED_FIELDS, 'distribution-tenant-id', 'connection-id'];
    const values = {
      date: '2026-11-28',
      time: '00:00:01',
      'c-ip': '192.0.2.1',
      'cs-method': 'GET',
      'cs-uri-stem': '/europe/rss.xml',
      'sc-status': '200',
      'cs(User-Agent)': 'Newsboat/2.21%20(Linux%20x86_64)',
    };
    const chosen = [
      'timestamp(ms)',
      'cs(User-Agent)',
      'sc-status',
      'c-ip',
      'cs-uri-stem',
      'date',
      'cs-method',
      'time',
    ];
    for (const fields of [extended, chosen]) {
      const text = `#Fields: ${fields.join(' ')}\r\n${line(values, fields)}\r\n`;
      const records = [...readCloudFrontLog(text)];
      assert.equal(records.length, 1, fields.join(' '));
      assert.equal(records[0]?.userAgent, 'Newsboat/2.21 (Linux x86_64)');
      assert.equal(records[0]?.path, '/europe/rss.xml');
    }
  });

  test('counts malformed lines and goes on; refuses a file without the fields it needs', () => {
    const report: LogReadReport = { malformed: 0 };
    const good = line({
      date: '2026-11-27',
      time: '10:00:00',
      'c-ip': '192.0.2.9',
      'cs-method': 'GET',
      'cs-uri-stem': '/europe/rss.xml',
      'sc-status': '200',
    });
    const text = [
      `#Fields: ${DOCUMENTED_FIELDS.join(' ')}`,
      'not\ta\trecord',
      good.replace('2026-11-27', '2026-13-45'),
      good.replace('192.0.2.9', '<script>'),
      good,
    ].join('\n');
    assert.equal([...readCloudFrontLog(text, report)].length, 1);
    assert.equal(report.malformed, 3);
    assert.throws(() => [...readCloudFrontLog('2026-11-27\t10:00:00\n')], LogFormatError);
    assert.throws(
      () => [...readCloudFrontLog('#Fields: date time cs-uri-stem\n2026-11-27\t10:00:00\t/\n')],
      /lacks c-ip, cs-method, sc-status, cs\(User-Agent\)/,
    );
    assert.deepEqual([...readCloudFrontLog('')], []);
  });
});
