import { describe, expect, test } from 'vitest';
import { alertmanagerBaseUrl } from './alertmanager-client.ts';
import { webhookUrl } from './webhook-client.ts';

describe('alert receiver endpoints', () => {
  test.each([
    {
      name: 'a service with a port',
      config: { service: { namespace: 'kubesphere-monitoring-system', name: 'alertmanager-main', port: 9093 } },
      expected: 'http://alertmanager-main.kubesphere-monitoring-system.svc:9093',
    },
    {
      name: 'a service without a port (9093)',
      config: { service: { namespace: 'mon', name: 'am' } },
      expected: 'http://am.mon.svc:9093',
    },
    {
      name: 'an https url (scheme ignored)',
      config: { url: 'https://am.example.com:9443/api' },
      expected: 'http://am.example.com:9443',
    },
    { name: 'a url without a port', config: { url: 'http://am.example.com/' }, expected: 'http://am.example.com:9093' },
    { name: 'a url with port 80 kept', config: { url: 'http://am:80' }, expected: 'http://am:80' },
    { name: 'an IPv6 url', config: { url: 'http://[fd00::1]:9095' }, expected: 'http://[fd00::1]:9095' },
  ])('resolves an alertmanager receiver with $name', ({ config, expected }) => {
    expect(alertmanagerBaseUrl(config)).toBe(expected);
  });

  test.each([
    {
      name: 'a url as written',
      config: { url: 'https://hooks.example.com/audit?x=1' },
      expected: 'https://hooks.example.com/audit?x=1',
    },
    {
      name: 'a service with path and port',
      config: { service: { namespace: 'ops', name: 'hook', port: 8443, path: 'alerts' } },
      expected: 'https://hook.ops.svc:8443/alerts',
    },
    {
      name: 'a service without a port (443)',
      config: { service: { namespace: 'ops', name: 'hook' } },
      expected: 'https://hook.ops.svc:443',
    },
  ])('resolves a webhook receiver with $name', ({ config, expected }) => {
    expect(webhookUrl(config)).toBe(expected);
  });
});
