import { promises as dns } from 'node:dns';
import type { Answer } from 'dns-packet';
import { TTL, type Resolution } from './cluster-records.ts';

const empty = (rcode: Resolution['rcode']): Resolution => ({
  rcode,
  answers: [],
  additionals: [],
  authorities: [],
  authoritative: false,
});

/**
 * The opt-in (`SKIFF_DNS_FORWARD=1`) for names outside the cluster: ask the host's resolver, as
 * CoreDNS's `forward . /etc/resolv.conf` does. This sends packets wherever the host's resolver
 * lives, which is why it is off unless a user turns it on (and off in every test).
 */
export async function forwardToHost(name: string, type: string): Promise<Resolution> {
  const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
  const host = name.replace(/\.$/, '');
  try {
    let answers: Answer[] = [];
    if (type === 'A')
      answers = (await resolver.resolve4(host)).map((ip) => ({ name: host, type: 'A', ttl: TTL, data: ip }));
    else if (type === 'AAAA')
      answers = (await resolver.resolve6(host)).map((ip) => ({ name: host, type: 'AAAA', ttl: TTL, data: ip }));
    else if (type === 'CNAME')
      answers = (await resolver.resolveCname(host)).map((c) => ({ name: host, type: 'CNAME', ttl: TTL, data: c }));
    else if (type === 'PTR')
      answers = (await resolver.resolvePtr(host)).map((c) => ({ name: host, type: 'PTR', ttl: TTL, data: c }));
    else if (type === 'TXT')
      answers = (await resolver.resolveTxt(host)).map((t) => ({ name: host, type: 'TXT', ttl: TTL, data: t }));
    else return empty('NOTIMP');
    return { ...empty('NOERROR'), answers };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND') return empty('NXDOMAIN');
    if (code === 'ENODATA') return empty('NOERROR');
    return empty('SERVFAIL');
  }
}
