import { describe, expect, test } from 'vitest';
import { silentKubernetesSourceMessage } from './kubernetes-source-check.ts';

describe('silentKubernetesSourceMessage', () => {
  test.each([
    { name: 'switched off: nothing to say', enabled: false, received: 0, warns: false },
    { name: 'on, with kube-apiserver events: fine', enabled: true, received: 12, warns: false },
    {
      name: 'on, counters unknown (receiver not running here): no guess',
      enabled: true,
      received: undefined,
      warns: false,
    },
    { name: 'on, and nothing from kube-apiserver: warned', enabled: true, received: 0, warns: true },
  ])('$name', ({ enabled, received, warns }) => {
    const message = silentKubernetesSourceMessage(enabled, received, '2026-12-02T19:00:00Z');
    expect(message !== undefined).toBe(warns);
    if (warns) expect(message).toContain('no event from kube-apiserver has arrived since the receiver started');
  });
});
