import { describe, expect, it } from 'vitest';
import { signDelivery } from './signature';

describe('qonto sandbox webhook signature', () => {
  it('reproduces the test vector published on docs.qonto.com (webhooks setup)', () => {
    expect(signDelivery('{"test":"data"}', 'test-secret', 1704110400)).toBe('t=1704110400,v1=56aff06dc227db80d6568a5070f912c601c31f20451745d257cbc0b5dfa93805');
  });

  it('changes with the body, the secret and the timestamp', () => {
    const base = signDelivery('{"test":"data"}', 'test-secret', 1704110400);
    expect(signDelivery('{"test":"date"}', 'test-secret', 1704110400)).not.toBe(base);
    expect(signDelivery('{"test":"data"}', 'other-secret', 1704110400)).not.toBe(base);
    expect(signDelivery('{"test":"data"}', 'test-secret', 1704110401)).not.toBe(base);
  });
});
