import {
  badNames,
  deepNesting,
  hugeBody,
  malformedJson,
  malformedProtobuf,
  malformedYaml,
  wrongKind,
} from './bodies.ts';
import { badPatches } from './patches.ts';
import type { HostileRequest } from './request.ts';
import { Rng } from './rng.ts';
import { NS } from './targets.ts';
import { badMethods, badQuery, contentTypes, pathTricks, selectors } from './urls.ts';

/** HTTP the client library would never send: broken request lines, headers and framing. */
function rawHttp(rng: Rng): HostileRequest {
  const auth = 'Authorization: Bearer TOKEN\r\n';
  const raw = rng.pick([
    `GET /api/v1/pods HTTP/1.1\r\nHost: x\r\n${auth}X-Big: ${'a'.repeat(rng.range(17_000, 80_000))}\r\n\r\n`,
    `GET /api/v1/pods HTTP/1.1\r\nHost: x\r\n${auth}${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`,
    'GET /api/v1/po\0ds HTTP/1.1\r\nHost: x\r\n\r\n',
    'GARBAGE\r\n\r\n',
    '\0\0\0\0\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /api HTTP/1.1\r\nHost x\r\n\r\n',
    'GET /api HTTP/1.1\r\nBad Header: x\r\n\r\n',
    'GET /api HTTP/1.1\r\nHost: x\r\n folded: header\r\n\r\n',
    `POST ${NS}/configmaps HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: abc\r\n\r\n{}`,
    `POST ${NS}/configmaps HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: -1\r\n\r\n{}`,
    `POST ${NS}/configmaps HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
    `POST ${NS}/configmaps HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    `POST ${NS}/configmaps HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    `POST ${NS}/configmaps HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n`,
    `GET http://evil.example.com/api/v1/pods HTTP/1.1\r\nHost: evil.example.com\r\n${auth}Connection: close\r\n\r\n`,
    `GET /api/v1/../../api/v1/secrets HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`,
    `GET /api/v1/secrets?x=%ZZ HTTP/1.0\r\n\r\n`,
  ]);
  return { category: 'raw-http', method: '', path: '', headers: {}, raw };
}

/** WebSocket upgrades that must be refused with a Status: path tricks, missing pods, wrong resources. */
function upgrades(rng: Rng): HostileRequest {
  const path = rng.pick([
    `${NS}/pods/nope/exec?command=sh`,
    `${NS}/pods/target/../nope/exec?command=sh`,
    `${NS}/pods/%2e%2e/exec`,
    `${NS}/configmaps/target/exec`,
    `${NS}/pods/target/log`,
    '/api/v1/namespaces/default/pods',
    `/api/v1/namespaces/kube-system/pods/${'x'.repeat(300)}/attach`,
    `//evil${NS}/pods/nope/portforward?ports=80`,
  ]);
  const raw = `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n`;
  return { category: 'upgrade', method: 'GET', path, headers: {}, raw };
}

const CATEGORIES: ReadonlyArray<readonly [number, (rng: Rng) => HostileRequest]> = [
  [10, malformedJson],
  [8, malformedYaml],
  [10, malformedProtobuf],
  [8, wrongKind],
  [1, hugeBody],
  [4, deepNesting],
  [10, badNames],
  [10, pathTricks],
  [8, selectors],
  [14, badPatches],
  [8, badQuery],
  [4, contentTypes],
  [4, badMethods],
  [2, rawHttp],
  [1, upgrades],
];

/** The n hostile requests of a seed, made one at a time (huge bodies are not all held at once). */
export function* hostileRequests(seed: number, n: number): Generator<HostileRequest> {
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) yield rng.weighted(CATEGORIES)(rng);
}
