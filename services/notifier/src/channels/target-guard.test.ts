import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pinnedLookup, refusalReason, ResolveError, TargetRefusedError, vetTarget, type Resolver } from './target-guard.js';

const fixed = (...addresses: string[]): Resolver => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('refusalReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.8.9.10', 'loopback'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.254', 'private'], ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'], ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'], ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'], ['255.255.255.255', 'broadcast'], ['224.0.0.1', 'multicast'], ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'], ['::', 'unspecified'], ['fc00::1', 'unique local'], ['fd12:3456::1', 'unique local'],
    ['fe80::1', 'link-local'], ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:10.0.0.1', 'private'], ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:7f00:1', 'loopback'], ['::127.0.0.1', 'loopback'], ['::7f00:1', 'IPv4-compatible'], ['::a00:1', 'IPv4-compatible'],
    ['64:ff9b::a00:1', 'rfc6052'], ['2002:a00:1::', '6to4'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s (%s)', (address, why) => {
    expect(refusalReason(address)).toContain(why);
  });

  it.each(['8.8.8.8', '93.184.216.34', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('allows public %s', (address) => {
    expect(refusalReason(address)).toBeNull();
  });
});

describe('vetTarget', () => {
  const refuse = { allowPrivate: false };

  it.each([
    'http://127.0.0.1:8080/hook', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:9000/',
    'http://[::ffff:127.0.0.1]/', 'http://0x7f.1/', 'http://2130706433/', 'http://0.0.0.0:3000/',
  ])('refuses the literal target %s', async (url) => {
    await expect(vetTarget(url, refuse)).rejects.toBeInstanceOf(TargetRefusedError);
  });

  it('refuses a host name resolving to loopback (localhost, through the system resolver)', async () => {
    await expect(vetTarget('http://localhost:3000/', refuse)).rejects.toThrow(/localhost \(127\.0\.0\.1\) is loopback/);
  });

  it('refuses a host when ANY of its addresses is private', async () => {
    await expect(vetTarget('https://hooks.example/x', { ...refuse, resolve: fixed('93.184.216.34', '10.1.2.3') })).rejects.toThrow(/10\.1\.2\.3.*private/);
    await expect(vetTarget('https://hooks.example/x', { ...refuse, resolve: fixed('2001:4860:4860::8888', 'fd00::1') })).rejects.toBeInstanceOf(TargetRefusedError);
  });

  it('accepts a public host and returns the addresses it checked', async () => {
    const t = await vetTarget('https://hooks.example/x?token=abc', { ...refuse, resolve: fixed('93.184.216.34', '2001:4860:4860::8888') });
    expect(t.addresses).toEqual([{ address: '93.184.216.34', family: 4 }, { address: '2001:4860:4860::8888', family: 6 }]);
    expect(t.url.hostname).toBe('hooks.example');
  });

  it('allows private targets only when configured to', async () => {
    await expect(vetTarget('http://127.0.0.1:8080/', { allowPrivate: true })).resolves.toMatchObject({ addresses: [{ address: '127.0.0.1', family: 4 }] });
    await expect(vetTarget('http://internal.example/', { allowPrivate: true, resolve: fixed('10.0.0.5') })).resolves.toBeDefined();
  });

  it('refuses schemes other than http and https, and malformed URLs', async () => {
    for (const url of ['ftp://93.184.216.34/', 'file:///etc/passwd', 'gopher://example.com/', 'not a url', 'javascript:alert(1)']) {
      await expect(vetTarget(url, refuse), url).rejects.toBeInstanceOf(TargetRefusedError);
    }
  });

  it('tells a host that does not resolve apart from a refused one, and never shows the path or query', async () => {
    const failing: Resolver = async () => { throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }); };
    const err = await vetTarget('https://nowhere.example/secret-path?token=abc', { ...refuse, resolve: failing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResolveError);
    expect((err as Error).message).toBe('host nowhere.example did not resolve (ENOTFOUND)');
    const refused = await vetTarget('http://10.0.0.1/secret-path?token=abc', refuse).catch((e: unknown) => e as Error);
    expect((refused as Error).message).not.toMatch(/secret-path|token/);
  });
});

describe('pinnedLookup', () => {
  it('answers with the checked addresses only, in both callback shapes', () => {
    const lookup = pinnedLookup([{ address: '93.184.216.34', family: 4 }, { address: '2001:4860:4860::8888', family: 6 }]);
    const seen: unknown[] = [];
    lookup('attacker-rebinds.example', {}, (err, address, family) => seen.push([err, address, family]));
    lookup('attacker-rebinds.example', { all: true }, (err, address) => seen.push([err, address]));
    lookup('attacker-rebinds.example', { family: 6 }, (err, address, family) => seen.push([err, address, family]));
    expect(seen).toEqual([
      [null, '93.184.216.34', 4],
      [null, [{ address: '93.184.216.34', family: 4 }, { address: '2001:4860:4860::8888', family: 6 }]],
      [null, '2001:4860:4860::8888', 6],
    ]);
  });

  it('makes node:http connect to the pinned address whatever the host name', async () => {
    const server = http.createServer((req, res) => res.end(req.headers.host));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const host = await new Promise<string>((resolve, reject) => {
        http.get(`http://no-such-host.invalid:${port}/`, { agent: false, lookup: pinnedLookup([{ address: '127.0.0.1', family: 4 }]) }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => { body += c.toString(); });
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
      expect(host).toBe(`no-such-host.invalid:${port}`);
    } finally {
      server.close();
    }
  });
});
