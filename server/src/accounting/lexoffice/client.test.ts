import { describe, expect, it } from 'vitest';
import errors from '../../sandboxes/lexoffice/fixtures/errors.json';
import { classifyLexofficeResponse, toNameFilter } from './client';

const respond = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

describe('classifyLexofficeResponse', () => {
  it('maps the documented statuses to provider error kinds', () => {
    expect(classifyLexofficeResponse(respond(401, { message: 'Unauthorized' })).kind).toBe('auth');
    expect(classifyLexofficeResponse(respond(403, { message: 'x' })).kind).toBe('forbidden');
    expect(classifyLexofficeResponse(respond(404, { IssueList: [] })).kind).toBe('not_found');
    expect(classifyLexofficeResponse(respond(409, {})).kind).toBe('conflict');
    expect(classifyLexofficeResponse(respond(415, {})).kind).toBe('validation');
    expect(classifyLexofficeResponse(respond(504, { message: 'Endpoint request timed out' })).kind).toBe('unavailable');
  });

  it('treats a 406 as validation and keeps the vendor code from either error family', () => {
    const regular = classifyLexofficeResponse(respond(406, errors.docs2021.regularError));
    expect(regular).toMatchObject({ kind: 'validation', detail: { status: 406, vendorCode: 'NOTNULL' } });
    const legacy = classifyLexofficeResponse(respond(406, errors.docs2021.legacyError));
    expect(legacy).toMatchObject({ kind: 'validation', detail: { vendorCode: 'missing_entity' } });
  });

  it('treats a 406 on the contact version as a conflict (observed live instead of 409)', () => {
    const body = { IssueList: [{ i18nKey: 'invalid_value', source: 'version', type: 'validation_failure' }] };
    expect(classifyLexofficeResponse(respond(406, body)).kind).toBe('conflict');
  });

  it('treats 429 and the gateway 500 "rate limit exceeded" as rate limited, with Retry-After when sent', () => {
    expect(classifyLexofficeResponse(respond(429, { message: 'Rate limit exceeded' }))).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect(classifyLexofficeResponse(respond(429, '', { 'retry-after': '2' })).detail.retryAfterMs).toBe(2000);
    expect(classifyLexofficeResponse(respond(500, { message: 'Internal server error or rate limit exceeded' })).kind).toBe('rate_limited');
    expect(classifyLexofficeResponse(respond(500, { message: null })).kind).toBe('unavailable');
  });
});

describe('toNameFilter', () => {
  it('escapes wildcards and HTML-encodes &, < and >', () => {
    expect(toNameFilter('A_B%C & <D>')).toBe('A\\_B\\%C &amp; &lt;D&gt;');
  });
});
